/**
 * The last line of defence: if anything in the page throws while drawing, the learner
 * sees what happened and two ways on, never a blank page. "Start fresh" reloads without
 * the saved session (`?fresh=1`); the session itself is kept aside and can be downloaded,
 * so nothing the learner made is lost.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { SESSION_KEY } from '../../share/storedState';
import { KEPT_SESSION_KEY, type SessionStorage } from '../../store/share';
import { downloadText } from '../share/download';

interface Props {
  storage: SessionStorage | null;
  children: ReactNode;
}

interface State {
  error: string | null;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    const text = error instanceof Error ? error.message : String(error);
    return { error: (text.split('\n')[0] ?? 'an error').slice(0, 200) };
  }

  override componentDidCatch(_error: unknown, _info: ErrorInfo): void {
    // The message is on screen; the console already has the details.
  }

  private saved(): string | null {
    try {
      return this.props.storage?.getItem(SESSION_KEY) ?? null;
    } catch {
      return null;
    }
  }

  private startFresh = () => {
    const saved = this.saved();
    try {
      if (saved !== null) this.props.storage?.setItem(KEPT_SESSION_KEY, saved);
    } catch {
      // Storage refuses: the session stays where it is, and ?fresh=1 skips it anyway.
    }
    const url = new URL(window.location.href);
    url.hash = '';
    url.searchParams.set('fresh', '1');
    window.location.assign(url.toString());
  };

  private download = () => {
    const saved = this.saved();
    if (saved !== null) downloadText(saved, 'fanout-saved-session.json');
  };

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    const hasSession = this.saved() !== null;
    return (
      <main className="crash" role="alert">
        <h1>Fanout stopped drawing</h1>
        <p>Something went wrong on this page: {this.state.error}.</p>
        <p>
          {hasSession
            ? 'Your saved session is kept: download it, or start fresh (it stays saved aside).'
            : 'Start fresh to go on.'}
        </p>
        <div className="crash-actions">
          <button type="button" className="button primary" onClick={this.startFresh}>
            Start fresh
          </button>
          {hasSession && (
            <button type="button" className="button" onClick={this.download}>
              Download my saved session
            </button>
          )}
        </div>
      </main>
    );
  }
}
