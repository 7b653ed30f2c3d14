import { Component, type ReactNode } from "react";
import { ErrorState } from "./ErrorState";

interface Props {
  children: ReactNode;
  title?: string;
  /** Replaces "render again" (e.g. reload the page when a code chunk failed to download). */
  onRetry?: () => void;
}

/** Keeps a broken widget from blanking the whole page; "try again" re-renders it. */
export class ErrorBoundary extends Component<Props, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override render() {
    if (this.state.error) {
      return (
        <ErrorState
          compact
          title={this.props.title ?? "This part of the page failed"}
          error={this.state.error}
          onRetry={() => (this.props.onRetry ? this.props.onRetry() : this.setState({ error: null }))}
        />
      );
    }
    return this.props.children;
  }
}
