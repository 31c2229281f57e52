/** A half-open interval [start, end) of epoch milliseconds. */
export interface Bucket { start: number, end: number }

/** A half-open interval [from, to) of epoch milliseconds, as a caller asks for it. */
export interface TimeRange { from: number, to: number }
