import { Alert } from '@mantine/core';
import { Component as ReactComponent, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  name: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/** ComponentBoundary keeps one failing component from taking the page down. */
export class ComponentBoundary extends ReactComponent<Props, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.warn(`component ${this.props.name} failed`, error, info.componentStack);
  }

  render() {
    if (this.state.error) {
      return (
        <Alert color="red" title={`${this.props.name} could not be shown`}>
          {this.state.error.message}
        </Alert>
      );
    }
    return this.props.children;
  }
}
