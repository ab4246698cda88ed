/**
 * The texts LivePerson writes where a value is absent, in fields it fills in
 * itself (agent, skill and campaign names, visitor info, end times of open
 * conversations). Catalogues list them per column; text people typed is never
 * read as absent.
 *
 * @module
 */

/** LivePerson's "no value" texts. */
export const NO_VALUE_TEXTS: readonly string[] = Object.freeze(["undefined", "null", "NA"]);
