/**
 * File uploads: chunked over the view's socket (or straight to storage), with limits checked when
 * files are chosen and again on every byte. See docs/uploads.md.
 *
 * - `config.ts`: `allowUpload` options, resolved; the type and size checks of a chosen file
 * - `registry.ts`: a view's uploads and entries, and what its template sees (`uploads.NAME`)
 * - `frames.ts`: the binary frame of one chunk (shared with the browser and the test toolkit)
 * - `temp_files.ts`: an App's temporary files, bounded on disk, deleted when no longer wanted
 * - `tag.ts`: `{% live_file_input %}`
 * @module
 */
export {
  cleanFileName,
  DEFAULT_CHUNK_SIZE,
  fileErrors,
  formatBytes,
  refusedType,
  resolveConfig,
  type UploadConfig,
  type UploadEntryInfo,
  uploadErrors,
  type UploadOptions,
} from "./config.ts";
export {
  type Admission,
  type ChunkOutcome,
  existingUploadsOf,
  isUploadSlot,
  type UploadedEntry,
  type UploadEntryView,
  type UploadSlot,
  uploadsOf,
  ViewUploads,
} from "./registry.ts";
export { type ChunkFrame, chunkHeader, decodeChunk, MAX_CHUNK_HEADER } from "./frames.ts";
export { TempFiles, type TempFilesOptions } from "./temp_files.ts";
export { registerUploadTags } from "./tag.ts";
