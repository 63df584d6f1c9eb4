// What other web apps (the Model Editor) use of the TorqueApp: the sign-in
// screen and its API, the component registry and grid (for the editor's
// page preview), the page context the components read, the runtime they
// call, and the layout types.

export { SignIn } from './auth/SignIn';
export { login, logout, me, type User } from './auth/api';
export { ComponentGrid, RenderComponent, registry } from './components/Renderer';
export { PageContext, type PageState, type OpenModal, type ActionContext } from './components/PageContext';
export { RuntimeProvider, useRuntime, type Runtime } from './runtime';
export type { FetchLike } from './rpc/client';
export { modalAfter } from './layout/modal';
export type * from './layout/types';
