import { notFound } from "next/navigation";

// An address the portal does not have: 404, rendered by ./not-found.tsx inside ./layout.tsx.
export default function MissingPage(): never {
  notFound();
}
