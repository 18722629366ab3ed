// Plain words for staff, one per result code.
export const PROBLEM_TEXT: Record<string, string> = {
  invalid_email: "Email address is not valid",
  invalid_phone_number: "Phone number is not valid",
  unknown_field: "Column is not a known field",
  invalid_value: "Value is not valid",
  conflict: "Email or phone already belongs to another member",
  conflict_ignored: "Imported, though the email or phone also belongs to another member",
};

export const STATUS_TEXT = { running: "Running", ready: "Ready", failed: "Failed" } as const;

export const SOURCE_TEXT: Record<string, string> = {
  records: "API (records)",
  csv_url: "API (CSV by URL)",
  upload: "Upload",
};

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
