/**
 * Past this many problems, validation looks no further (the items of a list and the properties
 * of an object still to be looked at, the names and values of an `update()`, the objects of a
 * `saveMany()`): a 1 MB body of wrong values holds half a million problems, and finding them
 * all took seconds of CPU. The value is invalid either way.
 */
export const maxProblems = 1000;
