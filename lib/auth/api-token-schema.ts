import { z } from "zod";

export const createTokenSchema = z.object({ name: z.string().trim().min(1, "Name the system that will use it").max(100) });
/** A token's id (the tokens page revokes by it). */
export const tokenIdSchema = z.uuid();
export type CreateTokenInput = z.infer<typeof createTokenSchema>;
