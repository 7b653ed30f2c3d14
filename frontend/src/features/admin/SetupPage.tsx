// First-run setup for the admin: link Plex, add Overseerr and Uptime Kuma, paste the webhook URLs.
// Each step can be done again later from Admin → Services.

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { CircleCheck } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Link, useLocation } from "wouter";
import { Page } from "../../components/layout/Page";
import { Button } from "../../components/ui/Button";
import { ErrorState } from "../../components/ui/ErrorState";
import { SkeletonText } from "../../components/ui/Skeleton";
import { queryKeys } from "../../lib/queryKeys";
import { deferSetup } from "../../lib/setupPrompt";
import { setupQuery } from "../auth/api";
import { servicesQuery, type ServiceConfig } from "./api";
import { PlexLink } from "./PlexLink";
import { ServiceForm } from "./ServiceForm";
import { WebhooksPanel } from "./WebhooksPanel";

function Step({ n, title, done, children }: { n: number; title: string; done?: boolean; children: ReactNode }) {
  const id = `setup-step-${n}`;
  return (
    <section className="setup-step panel" aria-labelledby={id} data-testid={`setup-step-${n}`}>
      <h2 id={id} className="setup-step__title">
        <span className={`setup-step__n${done ? " setup-step__n--done" : ""}`} aria-hidden="true">
          {done ? <CircleCheck size={18} /> : n}
        </span>
        <span>{title}</span>
        {done && <span className="visually-hidden"> (done)</span>}
      </h2>
      {children}
    </section>
  );
}

function PlexStep({ plex }: { plex: ServiceConfig | undefined }) {
  const [how, setHow] = useState<"pin" | "token">("pin");
  return (
    <Step n={1} title="Link your Plex server" done={plex?.configured}>
      {plex?.configured && (
        <p className="test-result test-result--ok" role="status">
          <CircleCheck size={18} aria-hidden="true" />
          <span>Linked{plex.url ? ` at ${plex.url}` : ""}. You can link it again below.</span>
        </p>
      )}
      <div className="segmented" role="radiogroup" aria-label="How to link Plex">
        <label className="segmented__option">
          <input type="radio" name="plex-how" checked={how === "pin"} onChange={() => setHow("pin")} />
          <span>Sign in with Plex</span>
        </label>
        <label className="segmented__option">
          <input type="radio" name="plex-how" checked={how === "token"} onChange={() => setHow("token")} />
          <span>URL and token</span>
        </label>
      </div>
      {how === "pin" ? (
        <PlexLink />
      ) : plex ? (
        <ServiceForm service={plex} />
      ) : null}
    </Step>
  );
}

export function SetupPage() {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const services = useQuery(servicesQuery());
  const setup = useQuery(setupQuery());
  const byName = new Map((services.data ?? []).map((s) => [s.name, s]));
  const overseerr = byName.get("overseerr");
  const kuma = byName.get("uptime_kuma");

  async function finish() {
    deferSetup();
    await client.invalidateQueries({ queryKey: queryKeys.auth.setup });
    navigate("/");
  }

  return (
    <Page title="Set up MediaNest" actions={<Link href="/admin">Back to Admin</Link>}>
      <p className="lead">
        Link the Plex server first: after that, everyone the server is shared with can sign in with Plex. Overseerr
        (requests) and Uptime Kuma (status) are optional and can be added later under Admin → Services.
      </p>
      {services.isPending ? (
        <SkeletonText lines={6} />
      ) : services.isError ? (
        <ErrorState title="The service settings could not be loaded" error={services.error} onRetry={() => void services.refetch()} />
      ) : (
        <>
          <PlexStep plex={byName.get("plex")} />
          {overseerr && (
            <Step n={2} title="Add Overseerr (requests)" done={overseerr.configured}>
              <ServiceForm service={overseerr} />
            </Step>
          )}
          {kuma && (
            <Step n={3} title="Add Uptime Kuma (status)" done={kuma.configured}>
              <ServiceForm service={kuma} />
            </Step>
          )}
          <Step n={4} title="Tell Plex and Overseerr about MediaNest">
            <p className="muted">
              These webhooks let MediaNest mark requests available the moment Plex adds them. Rotate the secrets later
              from Admin → Services.
            </p>
            <WebhooksPanel allowRotate={false} />
          </Step>
          <div className="form__actions">
            <Button variant="primary" onClick={() => void finish()}>
              {setup.data?.needs_setup === false || byName.get("plex")?.configured ? "Finish" : "Skip for now"}
            </Button>
          </div>
        </>
      )}
    </Page>
  );
}
