/**
 * The typed ports of framefuse. A port's type decides which connections are valid and how
 * its data travels at run time:
 * - `stream` types carry one value per frame, in frame order, through bounded queues;
 * - `value` types carry one value for the whole run (a still image, an embedding, the
 *   source's audio), resolved before streaming starts.
 */
export const PORT_TYPES = {
  Frames: {
    rate: 'stream',
    color: '#4f8df7',
    description: 'Decoded video frames (RGB, 8 bits per channel), each with its index and timestamp.',
  },
  Faces: {
    rate: 'stream',
    color: '#f7a24f',
    description: 'Per frame: detected faces with boxes, scores, landmarks and, as needed, embeddings.',
  },
  Mask: {
    rate: 'stream',
    color: '#9b59b6',
    description: 'Per frame: a single-channel mask (0..255) of the frame size.',
  },
  Image: {
    rate: 'value',
    color: '#2ecc71',
    description: 'A still image (RGB), such as the source face of a swap.',
  },
  Embedding: {
    rate: 'value',
    color: '#e74c3c',
    description: 'A face identity embedding (a vector of floats).',
  },
  Audio: {
    rate: 'value',
    color: '#95a5a6',
    description: "A reference to a media file's audio, passed through to the encoder.",
  },
} as const;

export type PortType = keyof typeof PORT_TYPES;
export type PortRate = (typeof PORT_TYPES)[PortType]['rate'];
export const PORT_TYPE_NAMES = Object.keys(PORT_TYPES) as PortType[];

export function isPortType(name: string): name is PortType {
  return Object.hasOwn(PORT_TYPES, name);
}

export function portRate(type: PortType): PortRate {
  return PORT_TYPES[type].rate;
}

/**
 * Whether an output of type `from` may feed an input of type `to`. Types must match
 * exactly today; this is the one place to widen that (e.g. Mask into Image) later.
 */
export function canConnect(from: PortType, to: PortType): boolean {
  return from === to;
}
