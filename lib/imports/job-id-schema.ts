import { z } from "zod";

/** A job's id, as the pages and the wizard send it back: every job, upload or not, is named by a UUID. */
export const jobIdSchema = z.uuid();
