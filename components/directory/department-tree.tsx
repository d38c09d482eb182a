import { Link } from "@/components/ui/link";
import { Badge } from "@/components/ui/card";
import { chinaDay } from "@/lib/directory/format";
import type { DepartmentNode } from "@/lib/directory/queries";

type Labels = { tree: string; noManager: string; manager: string; count: (n: number) => string; viewEmployees: string; wecomRemoved: (date: string) => string };

/**
 * The department tree as nested lists: a screen reader announces each level and its size, and
 * every department is a link reached with Tab. Indentation is a left border per level, so deep
 * trees stay readable on a phone. Each node shows its active staff including sub-departments,
 * which is exactly what its link (the employee list filtered by department and ACTIVE) lists.
 */
export function DepartmentTree({ roots, labels, canListEmployees }: { roots: DepartmentNode[]; labels: Labels; canListEmployees: boolean }) {
  return (
    <ul aria-label={labels.tree} className="space-y-1" data-testid="department-tree">
      {roots.map((node) => (
        <TreeNode key={node.id} node={node} labels={labels} canListEmployees={canListEmployees} />
      ))}
    </ul>
  );
}

function TreeNode({ node, labels, canListEmployees }: { node: DepartmentNode; labels: Labels; canListEmployees: boolean }) {
  return (
    <li data-testid="department-node" data-code={node.code}>
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 rounded-md px-2 py-1.5 hover:bg-slate-50">
        <Link href={`/directory/departments/${node.id}`} className="font-medium text-blue-800 hover:underline focus-visible:outline-2 focus-visible:outline-blue-600">
          {node.name}
        </Link>
        <span className="font-mono text-xs text-slate-500">{node.code}</span>
        {node.wecomRemovedAt ? (
          <span data-testid="department-wecom-removed">
            <Badge tone="red">{labels.wecomRemoved(chinaDay(node.wecomLastSeenAt ?? node.wecomRemovedAt))}</Badge>
          </span>
        ) : null}
        <span className="text-sm text-slate-600">
          <span className="sr-only">{labels.manager}: </span>
          {node.manager ? node.manager.name : <span className="text-slate-500">{labels.noManager}</span>}
        </span>
        {canListEmployees ? (
          <Link
            href={`/directory/employees?department=${node.id}&status=ACTIVE`}
            className="text-sm text-slate-600 hover:underline"
          >
            {/* Hidden words, not an aria-label: the visible count stays part of the link's name (axe: label-content-name-mismatch). */}
            <span className="sr-only">{`${labels.viewEmployees}: ${node.name}, `}</span>
            {labels.count(node.subtreeCount)}
          </Link>
        ) : (
          <span className="text-sm text-slate-600">{labels.count(node.subtreeCount)}</span>
        )}
      </div>
      {node.children.length ? (
        <ul aria-label={node.name} className="ml-3 space-y-1 border-l border-slate-200 pl-3">
          {node.children.map((child) => (
            <TreeNode key={child.id} node={child} labels={labels} canListEmployees={canListEmployees} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
