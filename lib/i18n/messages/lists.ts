import { defineMessages } from "./define";

/** The shared list component (components/ui/data-list.tsx) and its filters and pagers. */
export const lists = defineMessages(
  {
    filters: "筛选",
    filtersActive: "筛选（{count}）",
    filtersActiveLabel: "筛选，已启用 {count} 项条件",
    more: "展开更多条件",
    moreActive: "展开更多条件（{count}）",
    sortBy: "排序",
    ascending: "升序",
    descending: "降序",
  },
  {
    filters: "Filters",
    filtersActive: "Filters ({count})",
    filtersActiveLabel: "Filters, {count} active",
    more: "More filters",
    moreActive: "More filters ({count})",
    sortBy: "Sort by",
    ascending: "ascending",
    descending: "descending",
  },
);
