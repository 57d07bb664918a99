/**
 * The package entry point for node authors: `import { defineNode, type Frame } from 'framefuse'`.
 * It re-exports the node-authoring API and the values that travel on ports; the built-in
 * nodes in nodes/ import the same names (from '../src/index.js'), so outside authors and
 * the built-ins see one API. Nothing here starts a server or touches ffmpeg or ONNX.
 */
export * from './node-api/define-node.js';
export * from './model/param-roles.js';
export * from './model/port-types.js';
export type * from './model/port-values.js';
