import { AppError } from "@/lib/errors";
import { withApiUser } from "@/lib/http/api-route";

// Any other /api path: 401 without a token (as every /api route), else 404.
const notFound = withApiUser<{ path: string[] }>(async ({ req }) => {
  throw new AppError("not_found", `No API route ${new URL(req.url).pathname}`);
});
export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
