// Paste a YouTube link, see what it is (title, how many videos), choose the quality and an
// optional Plex collection name, and queue it.

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Eye, Plus } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import { Button } from "../../components/ui/Button";
import { toast } from "../../components/ui/Toaster";
import { ApiError } from "../../lib/api";
import { formatDuration, plural } from "../../lib/format";
import { queryKeys } from "../../lib/queryKeys";
import { previewDownload, submitDownload, type DownloadPreview, type Quality } from "./api";

const QUALITIES: { value: Quality; label: string }[] = [
  { value: "best", label: "Best available" },
  { value: "1080p", label: "1080p" },
  { value: "720p", label: "720p" },
  { value: "480p", label: "480p (smaller files)" },
  { value: "audio", label: "Audio only" },
];

export function downloadErrorText(err: unknown): string {
  if (!(err instanceof ApiError)) return "That didn't work. Try again.";
  if (err.status === 422 && (err.code === "url_not_allowed" || err.code === "unsupported_url")) {
    return `MediaNest can't download this link: it must be a YouTube video or playlist. ${err.message}`.trim();
  }
  if (err.status === 429) {
    const wait = err.retryAfter ? ` Try again in about ${formatDuration(err.retryAfter)}.` : " Try again later.";
    return `You've reached your hourly download limit.${wait}`;
  }
  if (err.status === 507) {
    return "The media disk is nearly full, so new downloads are paused. Ask the admin to free up space.";
  }
  if (err.status === 0) return err.message;
  return err.message || "That didn't work. Try again.";
}

function PreviewBox({ preview }: { preview: DownloadPreview }) {
  const shown = preview.entries.slice(0, 5);
  return (
    <div className="preview" data-testid="download-preview" aria-live="polite">
      <p className="preview__title">{preview.title || "Untitled"}</p>
      <p className="card__meta">
        {preview.kind === "playlist" ? `Playlist · ${plural(preview.count, "video")}` : "Single video"}
      </p>
      {preview.kind === "playlist" && shown.length > 0 && (
        <ol className="preview__entries">
          {shown.map((e, i) => (
            <li key={e.id ?? i}>
              {e.title || "Untitled video"}
              {e.duration ? <span className="muted"> · {formatDuration(e.duration)}</span> : null}
            </li>
          ))}
          {preview.count > shown.length && <li className="muted">and {preview.count - shown.length} more</li>}
        </ol>
      )}
      {preview.too_many && (
        <p className="form__error" role="alert">
          This playlist has more than {preview.max_items ?? "the allowed number of"} videos, the most MediaNest downloads at
          once. Split it into smaller playlists.
        </p>
      )}
    </div>
  );
}

export function DownloadForm() {
  const client = useQueryClient();
  const urlId = useId();
  const [url, setUrl] = useState("");
  const [quality, setQuality] = useState<Quality>("best");
  const [collection, setCollection] = useState("");
  const preview = useMutation({ mutationFn: (u: string) => previewDownload(u), meta: { silent: true } });
  const submit = useMutation({
    mutationFn: () => submitDownload({ url: url.trim(), quality, ...(collection.trim() ? { collection: collection.trim() } : {}) }),
    meta: { silent: true },
    onSuccess: () => {
      toast({ tone: "success", title: "Download queued", body: preview.data?.title || url.trim() });
      setUrl("");
      setCollection("");
      preview.reset();
      void client.invalidateQueries({ queryKey: queryKeys.downloads.all });
    },
  });
  const trimmed = url.trim();
  const previewFor = preview.variables === trimmed ? preview : null;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (trimmed) submit.mutate();
  }

  return (
    <form className="form panel" onSubmit={onSubmit} data-testid="download-form" noValidate>
      <div className="field">
        <label className="field__label" htmlFor={urlId}>
          YouTube link (video or playlist)
        </label>
        <div className="input-row">
          <input
            id={urlId}
            className="input"
            type="url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder="https://www.youtube.com/playlist?list=…"
            value={url}
            onChange={(e) => {
              setUrl(e.target.value);
              submit.reset();
            }}
            data-testid="download-url"
          />
          <Button onClick={() => preview.mutate(trimmed)} disabled={!trimmed} busy={preview.isPending}
            icon={<Eye size={16} aria-hidden="true" />} data-testid="download-preview-button">
            Preview
          </Button>
        </div>
      </div>
      {previewFor?.data && <PreviewBox preview={previewFor.data} />}
      {previewFor?.isError && (
        <p className="form__error" role="alert">
          {downloadErrorText(previewFor.error)}
        </p>
      )}
      <div className="form__row">
        <label className="field">
          <span className="field__label">Quality</span>
          <select className="input" value={quality} onChange={(e) => setQuality(e.target.value as Quality)} data-testid="download-quality">
            {QUALITIES.map((q) => (
              <option key={q.value} value={q.value}>
                {q.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Plex collection (optional)</span>
          <input
            className="input"
            value={collection}
            maxLength={200}
            placeholder={previewFor?.data?.kind === "playlist" ? (previewFor.data.title ?? "The playlist's title") : "None"}
            onChange={(e) => setCollection(e.target.value)}
            data-testid="download-collection"
          />
        </label>
      </div>
      {submit.isError && (
        <p className="form__error" role="alert" data-testid="download-error">
          {downloadErrorText(submit.error)}
        </p>
      )}
      <div className="form__actions">
        <Button type="submit" variant="primary" busy={submit.isPending} disabled={!trimmed}
          icon={<Plus size={16} aria-hidden="true" />} data-testid="download-submit">
          Download
        </Button>
      </div>
    </form>
  );
}
