export default function Home() {
  return (
    <main>
      <h1>Target import</h1>
      <p>
        The bulk upsert API is at <code>POST /api/targets/bulk_upsert</code>; its OpenAPI document is at{" "}
        <code>/api/openapi.json</code>.
      </p>
    </main>
  );
}
