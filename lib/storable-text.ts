import { z } from "zod";

// PostgreSQL refuses the NUL character in text, SQLite keeps it; neither can
// store a lone UTF-16 surrogate ("\ud800", valid in JSON), which a driver
// would turn into U+FFFD without a word. Text that will be stored is checked
// for both first, so both databases give the same answer (a 400 naming the
// place, or a record problem), never a failed or altered write.
export const isStorable = (s: string) => !s.includes("\u0000") && s.isWellFormed();
export const UNSTORABLE_MESSAGE = "must not hold a NUL character or a lone UTF-16 surrogate";

export const storableString = () => z.string().refine(isStorable, UNSTORABLE_MESSAGE);
