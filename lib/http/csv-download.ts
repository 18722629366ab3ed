// A CSV file streamed to the client from an async generator of its text, for
// the route handlers that offer one (the members export, rejected rows). The
// first chunk is read before the answer starts, so a bad request still gets
// its error status rather than a 200 that breaks off.
import "server-only";

export async function csvDownload(chunks: AsyncGenerator<string, void, undefined>, fileName: string): Promise<Response> {
  let first: IteratorResult<string, void> | null = await chunks.next();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = first ?? (await chunks.next());
      first = null;
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    // the client went away: stop reading the database
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
    },
  });
}

/** members-2026-12-07.csv: the day the file was made (UTC). */
export function datedFileName(stem: string, now = new Date()): string {
  return `${stem}-${now.toISOString().slice(0, 10)}.csv`;
}
