/** A QR code drawn from its modules (rows of "0"/"1"), dark on white in both themes so every camera reads it. */
export function QrCode({ rows, label }: { rows: string[]; label: string }) {
  const size = rows.length;
  const path = rows.flatMap((row, y) => [...row].flatMap((bit, x) => (bit === "1" ? [`M${x} ${y}h1v1h-1z`] : []))).join("");
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 ${size} ${size}`} className="size-44 rounded-md bg-white p-1" shapeRendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
