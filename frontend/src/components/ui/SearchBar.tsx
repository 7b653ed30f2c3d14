import { Search } from "lucide-react";
import type { ReactNode } from "react";

/** The search toolbar of list pages: a labelled search box (submitted with Enter) and optional extra fields. */
export function SearchBar({
  label,
  value,
  onChange,
  onSubmit,
  testId,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  onSubmit: (value: string) => void;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <form
      className="toolbar"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(value.trim());
      }}
    >
      <label className="field toolbar__grow">
        <span className="field__label">{label}</span>
        <span className="input-icon">
          <Search size={16} aria-hidden="true" />
          <input className="input" type="search" value={value} placeholder="Title"
            onChange={(e) => onChange(e.target.value)} data-testid={testId} />
        </span>
      </label>
      {children}
    </form>
  );
}
