import { createContext, useContext } from "react";
import type { User } from "./types";

export const CurrentUserContext = createContext<User | null>(null);

/** The signed-in user; only valid below RequireAuth. */
export function useCurrentUser(): User {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error("useCurrentUser outside RequireAuth");
  return user;
}
