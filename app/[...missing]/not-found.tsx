import { NotFoundView } from "@/components/shell/not-found-view";

// ./page.tsx's notFound(), inside ./layout.tsx (its title is the layout's).
export default function MissingNotFound() {
  return <NotFoundView />;
}
