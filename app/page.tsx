import { redirect } from "next/navigation";

// The admin app starts at the import history (signed-out visitors are sent
// to /login first by proxy.ts).
export default function Home() {
  redirect("/imports");
}
