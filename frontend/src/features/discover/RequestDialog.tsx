// Requesting a show: pick the seasons, send, and say plainly what happened.

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../components/ui/Button";
import { Dialog } from "../../components/ui/Dialog";
import { createRequest, knownSeasons, requestErrorText, type DiscoverResult } from "./api";
import { SeasonPicker, seasonsToSend, type SeasonChoice } from "./SeasonPicker";

export function RequestDialog({
  result,
  onClose,
  onDone,
}: {
  result: DiscoverResult | null;
  onClose: () => void;
  onDone: (result: DiscoverResult, outcome: "requested" | "exists") => void;
}) {
  return (
    <Dialog
      open={result !== null}
      onClose={onClose}
      title={result ? `Request ${result.title}` : "Request"}
      description="MediaNest passes the request to Overseerr; you'll get a notification when it's in Plex."
    >
      {result && <RequestForm key={result.tmdb_id} result={result} onClose={onClose} onDone={onDone} />}
    </Dialog>
  );
}

function RequestForm({
  result,
  onClose,
  onDone,
}: {
  result: DiscoverResult;
  onClose: () => void;
  onDone: (result: DiscoverResult, outcome: "requested" | "exists") => void;
}) {
  const [choice, setChoice] = useState<SeasonChoice>({ all: true });
  const [pickError, setPickError] = useState<string | null>(null);
  const known = result.media_type === "tv" ? knownSeasons(result) : null;
  const send = useMutation({
    mutationFn: (seasons: number[] | undefined) =>
      createRequest({ media_type: result.media_type, tmdb_id: result.tmdb_id, ...(seasons ? { seasons } : {}) }),
    meta: { silent: true },
    onSuccess: () => onDone(result, "requested"),
  });
  const failure = send.isError ? requestErrorText(send.error, result.title) : null;

  function submit() {
    setPickError(null);
    if (result.media_type !== "tv") {
      send.mutate(undefined);
      return;
    }
    const seasons = seasonsToSend(choice);
    if (seasons === null) {
      setPickError(known ? "Tick at least one season." : "Type season numbers like 1, 2 or 5-7.");
      return;
    }
    send.mutate(seasons);
  }

  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {result.media_type === "tv" && <SeasonPicker known={known} value={choice} onChange={setChoice} error={pickError} />}
      {failure && (
        <p className={failure.tone === "error" ? "form__error" : "form__note"} role="alert" data-testid="request-error">
          {failure.text}
        </p>
      )}
      <div className="dialog__actions">
        {failure?.tone === "info" ? (
          // Nothing left to do here: it exists or is on its way.
          <Button variant="primary" onClick={() => onDone(result, "exists")}>
            OK
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary" busy={send.isPending} data-testid="request-submit">
              Request
            </Button>
          </>
        )}
      </div>
    </form>
  );
}
