/** The ids SQLite's `group_concat` joins into one text ("3,7"; null when there are none), as a list. */
export const groupConcatIds = (s: string | null): number[] => (s ? s.split(',').map(Number) : []);
