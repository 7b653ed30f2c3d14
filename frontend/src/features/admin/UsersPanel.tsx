// Admin → Users: role and account status per person, and importing the people the Plex server is
// shared with (so roles can be set before they first sign in). Cards on phones, rows on wide screens.

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CircleCheck, CircleMinus, UserPlus, Users } from "lucide-react";
import { useState } from "react";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { ConfirmDialog } from "../../components/ui/ConfirmDialog";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorState } from "../../components/ui/ErrorState";
import { SkeletonText } from "../../components/ui/Skeleton";
import { toast } from "../../components/ui/Toaster";
import { ApiError } from "../../lib/api";
import { useCurrentUser } from "../../lib/currentUser";
import { formatRelative, plural } from "../../lib/format";
import { queryKeys } from "../../lib/queryKeys";
import type { Page } from "../../lib/types";
import { importUsers, updateUser, usersQuery, type AdminUser } from "./api";

function changeErrorText(err: unknown): string {
  if (err instanceof ApiError && err.code === "last_admin") {
    return "This is the last active admin. Make someone else an admin first.";
  }
  return err instanceof ApiError ? err.message : "The change was not saved.";
}

function UserRow({ user, isMe }: { user: AdminUser; isMe: boolean }) {
  const client = useQueryClient();
  const [confirmDisable, setConfirmDisable] = useState(false);
  const change = useMutation({
    mutationFn: (patch: { role?: "admin" | "user"; status?: "active" | "disabled" }) => updateUser(user.id, patch),
    meta: { silent: true },
    onSuccess: (updated) => {
      setConfirmDisable(false);
      client.setQueryData<Page<AdminUser>>(queryKeys.auth.users, (old) =>
        old ? { ...old, items: old.items.map((u) => (u.id === user.id ? { ...u, ...updated } : u)) } : old,
      );
      void client.invalidateQueries({ queryKey: queryKeys.auth.users });
    },
    onError: () => setConfirmDisable(false),
  });
  const disabled = user.status === "disabled";

  return (
    <li className="card user-row" data-testid="admin-user-row" data-username={user.username}>
      <div className="user-row__who">
        <p className="card__title">
          {user.username}
          {isMe && <span className="muted"> (you)</span>}
        </p>
        {user.email && <p className="card__meta">{user.email}</p>}
        <p className="card__meta">
          {user.is_local ? "Local account" : "Plex account"} · last signed in {formatRelative(user.last_login_at)}
        </p>
      </div>
      <p className="user-row__counts card__meta">
        {plural(user.request_count ?? 0, "request")} · {plural(user.download_count ?? 0, "download")}
      </p>
      <div className="user-row__status">
        {disabled ? (
          <Badge tone="danger" icon={<CircleMinus className="badge__icon" size={14} aria-hidden="true" />}>
            Disabled
          </Badge>
        ) : (
          <Badge tone="success" icon={<CircleCheck className="badge__icon" size={14} aria-hidden="true" />}>
            Active
          </Badge>
        )}
      </div>
      <div className="user-row__actions">
        <label className="field field--inline">
          <span className="field__label">Role</span>
          <select
            className="input input--sm"
            value={change.isPending && change.variables?.role ? change.variables.role : user.role}
            disabled={change.isPending}
            onChange={(e) => change.mutate({ role: e.target.value as "admin" | "user" })}
            aria-label={`Role of ${user.username}`}
          >
            <option value="user">User</option>
            <option value="admin">Admin</option>
          </select>
        </label>
        {disabled ? (
          <Button size="sm" busy={change.isPending && !!change.variables?.status} onClick={() => change.mutate({ status: "active" })}>
            Enable
          </Button>
        ) : (
          <Button size="sm" variant="danger" onClick={() => setConfirmDisable(true)} aria-label={`Disable ${user.username}`}>
            Disable
          </Button>
        )}
      </div>
      {change.isError && (
        <p className="form__error user-row__error" role="alert">
          {changeErrorText(change.error)}
        </p>
      )}
      <ConfirmDialog
        open={confirmDisable}
        title={`Disable ${user.username}?`}
        description={
          isMe
            ? "You are disabling your own account: you will be signed out at once and can't sign in again until another admin enables you."
            : "They are signed out everywhere at once and can't sign in until an admin enables them again. Their requests and downloads stay."
        }
        confirmLabel="Disable"
        busy={change.isPending}
        onConfirm={() => change.mutate({ status: "disabled" })}
        onClose={() => setConfirmDisable(false)}
      />
    </li>
  );
}

export function UsersPanel() {
  const me = useCurrentUser();
  const client = useQueryClient();
  const users = useQuery(usersQuery());
  const importer = useMutation({
    mutationFn: importUsers,
    onSuccess: (result) => {
      toast({
        tone: "success",
        title: `Imported ${plural(result.imported, "person", "people")} from Plex`,
        body: result.created ? `${result.created} new.` : "No one new.",
      });
      void client.invalidateQueries({ queryKey: queryKeys.auth.users });
    },
  });

  return (
    <section className="section" aria-labelledby="admin-users">
      <div className="section__head">
        <h2 id="admin-users" className="section__title">
          Users{users.data ? ` (${users.data.total})` : ""}
        </h2>
        <Button size="sm" busy={importer.isPending} icon={<UserPlus size={16} aria-hidden="true" />} onClick={() => importer.mutate()}>
          Import from Plex
        </Button>
      </div>
      {users.isPending ? (
        <SkeletonText lines={6} />
      ) : users.isError ? (
        <ErrorState title="The user list could not be loaded" error={users.error} onRetry={() => void users.refetch()} />
      ) : users.data.items.length === 0 ? (
        <EmptyState icon={<Users size={28} />} title="No users yet.">
          Import the people your Plex server is shared with, or let them sign in with Plex.
        </EmptyState>
      ) : (
        <ul className="card-list" aria-label="Users">
          {users.data.items.map((u) => (
            <UserRow key={u.id} user={u} isMe={u.id === me.id} />
          ))}
        </ul>
      )}
    </section>
  );
}
