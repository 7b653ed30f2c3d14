import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "../../components/ui/Button";
import { ApiError } from "../../lib/api";
import { localLogin } from "./api";

function loginErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "invalid_credentials" || error.status === 401) return "Wrong username or password.";
    if (error.status === 429) return "Too many attempts. Wait a minute, then try again.";
    if (error.code === "account_disabled") return "This account is disabled.";
    return error.message;
  }
  return "Sign-in failed.";
}

export function LocalLoginForm({ onSuccess }: { onSuccess: () => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const login = useMutation({
    mutationFn: () => localLogin(username.trim(), password),
    meta: { silent: true },
    onSuccess,
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || !password) return;
    login.mutate();
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <label className="field">
        <span className="field__label">Username</span>
        <input
          className="input"
          name="username"
          autoComplete="username"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
      </label>
      <label className="field">
        <span className="field__label">Password</span>
        <input
          className="input"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {login.isError && (
        <p className="form__error" role="alert">
          {loginErrorText(login.error)}
        </p>
      )}
      <Button type="submit" variant="primary" busy={login.isPending} disabled={!username.trim() || !password}>
        Sign in
      </Button>
    </form>
  );
}
