// The AWS SDK warns, on the first client made under Node 20, that its versions published after
// January 2027 will need Node 22. This service pins its SDK and supports Node 20.19 and later
// (package.json engines), so the notice asks nothing of whoever runs it: it is switched off with
// the SDK's own variable, before any client is made (imported first by the entry points). Only
// this notice: every other warning still shows, and a value set in the environment (`false`, to
// see it) is kept.
if (!process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED)
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export {};
