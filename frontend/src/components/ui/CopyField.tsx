// A read-only value with a Copy button (webhook URLs and their secrets). Secrets stay masked until
// asked for, so a screen share does not leak them; copying works either way.

import { Check, Copy, Eye, EyeOff } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";

async function writeClipboard(text: string, fallbackInput: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API (plain http, old browser): select the text so the user can copy it by hand.
    if (fallbackInput) {
      fallbackInput.type = "text";
      fallbackInput.select();
    }
    return false;
  }
}

export function CopyField({
  label,
  value,
  secret = false,
  testId,
}: {
  label: string;
  value: string;
  secret?: boolean;
  testId?: string;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [shown, setShown] = useState(!secret);
  const [result, setResult] = useState<"" | "copied" | "manual">("");

  useEffect(() => {
    if (!result) return;
    const timer = setTimeout(() => setResult(""), 3000);
    return () => clearTimeout(timer);
  }, [result]);

  async function copy() {
    setResult((await writeClipboard(value, input.current)) ? "copied" : "manual");
  }

  return (
    <div className="copy-field" data-testid={testId}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="copy-field__row">
        <input
          ref={input}
          id={id}
          className="input copy-field__input"
          type={shown ? "text" : "password"}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
        />
        {secret && (
          <button
            type="button"
            className="icon-btn"
            aria-label={shown ? `Hide ${label}` : `Show ${label}`}
            title={shown ? "Hide" : "Show"}
            onClick={() => setShown((v) => !v)}
          >
            {shown ? <EyeOff size={18} aria-hidden="true" /> : <Eye size={18} aria-hidden="true" />}
          </button>
        )}
        <button type="button" className="icon-btn" aria-label={`Copy ${label}`} title="Copy" onClick={() => void copy()}>
          {result === "copied" ? <Check size={18} aria-hidden="true" /> : <Copy size={18} aria-hidden="true" />}
        </button>
      </div>
      <span className="copy-field__status" role="status">
        {result === "copied" ? "Copied." : result === "manual" ? "Copying isn't available here: the text is selected, copy it by hand." : ""}
      </span>
    </div>
  );
}
