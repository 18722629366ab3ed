// The normaliser threads get a chunk's text once: its later batches go to the
// thread that holds it, without the text. Batches of two chunks interleaved
// over two threads give exactly what normalising each batch inline gives.
import { afterAll, expect, test } from "vitest";
import { createNormaliser } from "@/lib/queue/normalise-pool";
import { runNormaliseTask, type NormaliseTask } from "@/lib/queue/normalise-task";

const pool = createNormaliser(2);
afterAll(() => pool.close());

const body = (tag: string) =>
  JSON.stringify({
    records: Array.from({ length: 30 }, (_, i) => ({
      external_id: `${tag}-${i}`,
      email: i % 7 === 0 ? "not-an-email" : `${tag}.${i}@example.org`,
      phone_number: `+44 74 ${String(i).padStart(8, "0")}`,
      first_name: `  ${tag} ${i} `,
    })),
  });

const task = (key: string, text: string, offset: number): NormaliseTask => ({
  chunkKey: key,
  text,
  offset,
  count: 10,
  source: "records",
  mapping: null,
  catalog: [],
  phoneRegion: "GB",
});

test("batches of two chunks, interleaved over two threads, normalise as they do inline", async () => {
  const a = body("A");
  const b = body("B");
  const order = [task("a", a, 0), task("b", b, 0), task("a", a, 10), task("b", b, 10), task("a", a, 20), task("b", b, 20)];
  const results = await Promise.all(order.map((t) => pool.normalise(t)));
  results.forEach((r, i) => expect(r).toEqual(runNormaliseTask(order[i])));
  expect(results.flat().filter((r) => !r.ok)).toHaveLength(2 * 5); // every 7th email of each chunk
});

test("a thread asked for a chunk it does not hold, without the text, says so", () => {
  expect(() => runNormaliseTask({ ...task("never-sent", "", 0), text: null })).toThrow(/without its text and is not held/);
});
