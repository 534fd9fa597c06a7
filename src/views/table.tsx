/** @module views/table — the header row of a plain table (one column header per label). */
export function ColumnHeads({ labels, class: className }: { labels: readonly string[]; class?: string }) {
  return (
    <thead class={className}>
      <tr>
        {labels.map((label) => (
          <th scope="col">{label}</th>
        ))}
      </tr>
    </thead>
  );
}
