/**
 * As in core's validation: past this many problems, what is left of a request (the items of a
 * list, the properties of an object) or of a response is not looked at. It is refused either
 * way, and a 1 MB body of wrong values would hold half a million problems, seconds of CPU to find.
 */
export const maxProblems = 1000;
