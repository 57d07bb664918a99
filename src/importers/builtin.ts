/**
 * The built-in model converters: importing this module registers every preparer that
 * turns a model shipped in an npm package into ONNX (`framefuse models prepare`).
 */
import './tflite/register.js';
import './tfjs/register.js';
