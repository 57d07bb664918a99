/** Which files may be uploaded: videos and still images, told by extension and checked by their first bytes. */
export type UploadKind = 'video' | 'image';

const VIDEO = new Set(['mp4', 'mov', 'm4v', 'mkv', 'webm', 'avi', 'ts', 'mpg', 'mpeg']);
const IMAGE = new Set(['png', 'jpg', 'jpeg', 'bmp', 'webp']);

export function uploadKind(fileName: string): UploadKind | null {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  if (VIDEO.has(ext)) return 'video';
  if (IMAGE.has(ext)) return 'image';
  return null;
}

export const ALLOWED_UPLOAD_EXTENSIONS = [...VIDEO, ...IMAGE];

/** A safe file name from a client's: base name only, odd characters replaced. */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(-100);
  return clean.length > 0 ? clean : 'upload';
}
