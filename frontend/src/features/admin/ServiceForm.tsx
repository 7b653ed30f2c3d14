// One service's settings: address, key (write-only), switch, its options, Save and Test.
// Used on the admin's Services tab and in first-run setup.

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CircleCheck, CircleX, KeyRound, PlugZap, Save } from "lucide-react";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { toast } from "../../components/ui/Toaster";
import { ApiError } from "../../lib/api";
import { formatMs } from "../../lib/format";
import { queryKeys } from "../../lib/queryKeys";
import { saveService, testService, type ServiceConfig, type TestResult } from "./api";
import { fieldsOf, missingFields, toFormValues, toUpdate, type ServiceFormValues } from "./serviceForm";

function TextField({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: ReactNode;
  children: (id: string, hintId: string | undefined) => ReactNode;
}) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children(id, hint ? hintId : undefined)}
      {hint && (
        <span id={hintId} className="field__hint">
          {hint}
        </span>
      )}
    </div>
  );
}

function TestOutcome({ result }: { result: TestResult }) {
  const details = [result.response_ms != null ? formatMs(result.response_ms) : null, result.version ? `version ${result.version}` : null]
    .filter(Boolean)
    .join(" · ");
  return (
    <div className={`test-result test-result--${result.ok ? "ok" : "failed"}`} role="status">
      {result.ok ? <CircleCheck size={18} aria-hidden="true" /> : <CircleX size={18} aria-hidden="true" />}
      <div>
        <p className="test-result__title">{result.ok ? "Connected" : "Connection failed"}</p>
        {result.message && <p className="test-result__body">{result.message}</p>}
        {details && <p className="test-result__body">{details}</p>}
      </div>
    </div>
  );
}

function SaveError({ error }: { error: unknown }) {
  if (!(error instanceof ApiError)) return <p className="form__error" role="alert">Saving failed.</p>;
  return (
    <div className="form__error" role="alert">
      <p>{error.message}</p>
      {error.details.length > 0 && (
        <ul className="form__error-list">
          {error.details.map((d) => (
            <li key={`${d.field}:${d.message}`}>
              {d.field.replace(/^options\./, "")}: {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ServiceForm({ service, onSaved }: { service: ServiceConfig; onSaved?: (s: ServiceConfig) => void }) {
  const client = useQueryClient();
  const fields = fieldsOf(service.name);
  const [values, setValues] = useState<ServiceFormValues>(() => toFormValues(service));
  const [dirty, setDirty] = useState(false);
  const [missing, setMissing] = useState<string[]>([]);
  const [warning, setWarning] = useState<string | null>(null);
  const titleId = useId();

  const set = <K extends keyof ServiceFormValues>(key: K, value: ServiceFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setDirty(true);
  };

  const save = useMutation({
    mutationFn: () => saveService(service.name, toUpdate(service, values)),
    meta: { silent: true },
    onSuccess: (saved) => {
      setDirty(false);
      setValues((v) => ({ ...v, apiKey: "" }));
      setWarning(saved.warning ?? null);
      client.setQueryData<ServiceConfig[]>(queryKeys.status.services(), (old) =>
        old?.map((s) => (s.name === saved.name ? saved : s)),
      );
      void client.invalidateQueries({ queryKey: queryKeys.status.all });
      void client.invalidateQueries({ queryKey: queryKeys.auth.setup });
      toast({ tone: "success", title: `${service.display_name} settings saved` });
      onSaved?.(saved);
    },
  });
  const test = useMutation({ mutationFn: () => testService(service.name), meta: { silent: true } });

  function validate(): boolean {
    const gaps = missingFields(service, values);
    setMissing(gaps);
    return gaps.length === 0;
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (validate()) save.mutate();
  }

  async function runTest() {
    // The test checks the saved settings, so unsaved changes are saved first.
    if (dirty) {
      if (!validate()) return;
      try {
        await save.mutateAsync();
      } catch {
        return; // the save error is shown already
      }
    }
    test.reset();
    test.mutate();
  }

  return (
    <form className="service-form panel" onSubmit={submit} aria-labelledby={titleId} noValidate data-testid={`service-form-${service.name}`}>
      <header className="service-form__head">
        <h3 id={titleId} className="service-form__title">
          {service.display_name || service.name}
        </h3>
        <div className="service-form__badges">
          {service.api_key_set && (
            <Badge tone="info" icon={<KeyRound className="badge__icon" size={14} aria-hidden="true" />}>
              Key set
            </Badge>
          )}
          {service.configured ? (
            <Badge tone="success" icon={<CircleCheck className="badge__icon" size={14} aria-hidden="true" />}>
              Set up
            </Badge>
          ) : (
            <Badge tone="neutral" icon={<CircleX className="badge__icon" size={14} aria-hidden="true" />}>
              Not set up
            </Badge>
          )}
        </div>
      </header>
      {fields.hint && <p className="muted">{fields.hint}</p>}

      {fields.url && (
        <TextField label="URL">
          {(id) => (
            <input id={id} className="input" type="url" inputMode="url" autoComplete="off" spellCheck={false}
              placeholder={fields.urlPlaceholder} value={values.url} onChange={(e) => set("url", e.target.value)} />
          )}
        </TextField>
      )}
      {fields.keyLabel && (
        <TextField label={fields.keyLabel} hint={service.api_key_set ? "A key is stored. Leave this empty to keep it." : undefined}>
          {(id, hintId) => (
            <input id={id} className="input" type="password" autoComplete="new-password" spellCheck={false}
              aria-describedby={hintId} placeholder={service.api_key_set ? "•••••••• (stored)" : ""}
              value={values.apiKey} onChange={(e) => set("apiKey", e.target.value)} />
          )}
        </TextField>
      )}
      {service.name === "uptime_kuma" && (
        <TextField label="Status page slug" hint="The last part of the status page's address, e.g. home for /status/home.">
          {(id, hintId) => (
            <input id={id} className="input" autoComplete="off" spellCheck={false} aria-describedby={hintId}
              value={values.slug} onChange={(e) => set("slug", e.target.value)} />
          )}
        </TextField>
      )}
      {service.name === "overseerr" && (
        <div className="form__row">
          <TextField label="Film requests per user per week" hint="Empty: Overseerr's own limits apply.">
            {(id, hintId) => (
              <input id={id} className="input" type="number" min={0} max={1000} inputMode="numeric" aria-describedby={hintId}
                value={values.quotaMovies} onChange={(e) => set("quotaMovies", e.target.value)} />
            )}
          </TextField>
          <TextField label="Season requests per user per week">
            {(id) => (
              <input id={id} className="input" type="number" min={0} max={1000} inputMode="numeric"
                value={values.quotaSeasons} onChange={(e) => set("quotaSeasons", e.target.value)} />
            )}
          </TextField>
        </div>
      )}
      {service.name === "youtube" && (
        <>
          <TextField label="Allowed hosts" hint="Separated by commas.">
            {(id, hintId) => (
              <input id={id} className="input" autoComplete="off" spellCheck={false} aria-describedby={hintId}
                value={values.allowedHosts} onChange={(e) => set("allowedHosts", e.target.value)} />
            )}
          </TextField>
          <div className="form__row">
            <TextField label="Library folder">
              {(id) => <input id={id} className="input" value={values.libraryFolder} onChange={(e) => set("libraryFolder", e.target.value)} />}
            </TextField>
            <TextField label="Downloads per user per hour">
              {(id) => <input id={id} className="input" type="number" min={1} inputMode="numeric" value={values.hourlyQuota} onChange={(e) => set("hourlyQuota", e.target.value)} />}
            </TextField>
            <TextField label="Most items per playlist">
              {(id) => <input id={id} className="input" type="number" min={1} inputMode="numeric" value={values.maxItems} onChange={(e) => set("maxItems", e.target.value)} />}
            </TextField>
            <TextField label="Keep free on the media disk (GB)">
              {(id) => <input id={id} className="input" type="number" min={0} step="any" inputMode="decimal" value={values.minFreeGb} onChange={(e) => set("minFreeGb", e.target.value)} />}
            </TextField>
          </div>
        </>
      )}
      <label className="check">
        <input type="checkbox" checked={values.enabled} onChange={(e) => set("enabled", e.target.checked)} />
        <span>Enabled</span>
      </label>

      {missing.length > 0 && (
        <p className="form__error" role="alert">
          Fill in: {missing.join(", ")}.
        </p>
      )}
      {save.isError && <SaveError error={save.error} />}
      {warning && !save.isError && (
        <p className="form__warning" role="status">
          {warning}
        </p>
      )}
      {test.data && !test.isPending && <TestOutcome result={test.data} />}
      {test.isError && (
        <p className="form__error" role="alert">
          {test.error instanceof ApiError ? test.error.message : "The test could not run."}
        </p>
      )}

      <div className="form__actions">
        <Button type="submit" variant="primary" busy={save.isPending} icon={<Save size={16} aria-hidden="true" />}>
          Save
        </Button>
        <Button onClick={() => void runTest()} busy={test.isPending} disabled={save.isPending || (!service.configured && !dirty)}
          icon={<PlugZap size={16} aria-hidden="true" />} data-testid={`service-test-${service.name}`}>
          Test connection
        </Button>
      </div>
    </form>
  );
}
