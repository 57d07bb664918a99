/**
 * onnxruntime-node, imported once with framefuse's logging. onnxruntime logs its own errors
 * to stderr (a missing CUDA library, say) before it throws; framefuse catches those
 * errors and reports them itself (provider fallback says why), so the native lines are
 * noise. FRAMEFUSE_ORT_LOG=verbose|info|warning|error brings them back for debugging.
 * It must be set before the first session is created, hence this one import point.
 */
import ort from 'onnxruntime-node';

const LEVELS = ['verbose', 'info', 'warning', 'error', 'fatal'] as const;
const wanted = process.env.FRAMEFUSE_ORT_LOG;
ort.env.logLevel = (LEVELS as readonly string[]).includes(wanted ?? '') ? (wanted as (typeof LEVELS)[number]) : 'fatal';

export default ort;
