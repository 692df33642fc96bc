/**
 * A request type whose fields can be set one by one: requests are built field by field, only
 * with what is set, rather than by spreading optional parts (each spread builds objects, and
 * a page's or a read's fixed cost is mostly such small objects).
 */
export type RequestFields<T> = { -readonly [K in keyof T]: T[K] };
