import { NotFoundView, notFoundMetadata, PlainNotFoundFrame } from "@/components/shell/not-found-view";

export const generateMetadata = notFoundMetadata;

// notFound() from a page outside the portal (sign-in, the customers' public pages): a plain page.
// It carries no shell and reads no session because Next.js renders the root not-found on every
// request (it is the root layout's fallback, serialised into every document's payload whether shown
// or not): with the shell in it, every page rendered a hidden second copy of the portal's frame
// (docs/performance.md, sixth session). An address the portal does not have is answered by
// app/[...missing], which puts the shell around a signed-in person's 404; records that do not exist
// render app/(portal)/not-found.tsx inside the portal's own shell.
export default function NotFound() {
  return (
    <PlainNotFoundFrame>
      <NotFoundView />
    </PlainNotFoundFrame>
  );
}
