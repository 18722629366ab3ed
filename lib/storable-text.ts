import { z } from "zod";

// PostgreSQL refuses the NUL character in text, SQLite keeps it: text that
// will be stored is checked for it first, so both databases give the same
// answer (a 400 naming the place, never a failed write).
export const hasNul = (s: string) => s.includes("\u0000");
export const NUL_MESSAGE = "must not hold a NUL character";

export const storableString = () => z.string().refine((s) => !hasNul(s), NUL_MESSAGE);
