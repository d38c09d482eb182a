"use client";
import { Button } from "./button";

/** Opens the browser's print dialog (print to PDF gives the one-page report; see app/globals.css). */
export function PrintButton({ children }: { children: React.ReactNode }) {
  return (
    <Button variant="secondary" className="print:hidden" onClick={() => window.print()}>
      {children}
    </Button>
  );
}
