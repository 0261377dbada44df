/**
 * Reading an image with one ITK-Wasm Emscripten instance per format and thread.
 *
 * `@itk-wasm/image-io`'s `readImageNode` (ITK-Wasm 1.0.0-b) loads its pipeline afresh on every
 * call: it reads and zstd-decodes the ~0.9 MB wasm binary and instantiates a new Emscripten
 * module (measured ≈35 ms of CPU per read, plus a burst of garbage collection on other threads),
 * which for a batch of small cases cost more than the features. ITK-Wasm's own browser path
 * (`runPipeline` with `webWorker: false`) instead keeps each loaded module in a map and runs it
 * again; this file does the same in Node, with ITK-Wasm's own loader and runner
 * (`loadEmscriptenModuleNode`, `runPipelineEmscripten`) and the argument list its generated
 * `<format>ReadImageNode` functions pass. Each worker thread has its own cache (modules are not
 * shared between threads). Formats outside the table go through `readImageNode` unchanged.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The ITK-Wasm image object (the fields radnomo uses). */
export interface ItkImage {
  imageType: { dimension: number; componentType: string; pixelType: string; components: number };
  size: number[];
  spacing: number[];
  origin: number[];
  direction: Float64Array | number[];
  data: ArrayLike<number> | null;
}

interface EmscriptenPipelineModule {
  mountDir(dir: string): string;
  unmountDir(dir: string): void;
}

interface PipelineOutputSpec {
  type: string;
}

interface PipelineResult {
  returnValue: number;
  stderr: string;
  outputs: Array<{ data: unknown } | undefined>;
}

interface ItkWasmInternals {
  load: (pipelinePath: string) => Promise<EmscriptenPipelineModule>;
  run: (m: EmscriptenPipelineModule, args: string[], outputs: PipelineOutputSpec[], inputs: unknown[]) => PipelineResult;
  readImageNode: (file: string) => Promise<ItkImage>;
  pipelinesDir: string;
}

/** File endings and the ITK-Wasm image-io pipeline that reads them (as image-io's extension table). */
const PIPELINE_OF: Array<[string, string]> = [
  ['.nii.gz', 'nifti'],
  ['.nii', 'nifti'],
  ['.hdr', 'nifti'],
  ['.nrrd', 'nrrd'],
  ['.nhdr', 'nrrd'],
  ['.mha', 'meta'],
  ['.mhd', 'meta'],
];

/** Dynamic import of an ES module (module node16 keeps `import()` in the CommonJS output). */
function importEsm(url: string): Promise<Record<string, unknown>> {
  return import(url) as Promise<Record<string, unknown>>;
}

let internals: Promise<ItkWasmInternals> | undefined;

function loadInternals(): Promise<ItkWasmInternals> {
  internals ??= (async () => {
    // Both packages are ES modules with an "exports" map; resolve their entry files, then the
    // internal files beside them (pinned by package-lock; a moved file fails every read test).
    const imageIoEntry = require.resolve('@itk-wasm/image-io');
    const itkWasmEntry = require.resolve('itk-wasm', { paths: [path.dirname(imageIoEntry)] });
    const internal = path.join(path.dirname(itkWasmEntry), 'pipeline', 'internal');
    const [loader, runner, imageIo] = await Promise.all([
      importEsm(pathToFileURL(path.join(internal, 'load-emscripten-module-node.js')).href),
      importEsm(pathToFileURL(path.join(internal, 'run-pipeline-emscripten.js')).href),
      importEsm(pathToFileURL(imageIoEntry).href),
    ]);
    return {
      load: loader.default as ItkWasmInternals['load'],
      run: runner.default as ItkWasmInternals['run'],
      readImageNode: imageIo.readImageNode as ItkWasmInternals['readImageNode'],
      pipelinesDir: path.join(path.dirname(imageIoEntry), 'pipelines'),
    };
  })();
  return internals;
}

const modules = new Map<string, Promise<EmscriptenPipelineModule>>();

/** The pipeline name (e.g. 'nrrd') that reads `file`, by its ending, or undefined. */
export function readPipelineOf(file: string): string | undefined {
  const lower = file.toLowerCase();
  for (const [ext, name] of PIPELINE_OF) if (lower.endsWith(ext)) return name;
  return undefined;
}

/**
 * Reads an image file as ITK-Wasm's `readImageNode` does (same pipeline, arguments and outputs),
 * reusing this thread's instance of the format's Emscripten module. Throws what ITK-Wasm throws
 * for a file it cannot read (an Error, or a bare number for a C++ exception).
 */
export async function readImageCached(file: string): Promise<ItkImage> {
  const abs = path.resolve(file);
  const it = await loadInternals();
  const name = readPipelineOf(abs);
  if (!name) return it.readImageNode(abs);
  let pending = modules.get(name);
  if (!pending) {
    pending = it.load(path.join(it.pipelinesDir, `${name}-read-image`));
    modules.set(name, pending);
    pending.catch(() => modules.delete(name));
  }
  const m = await pending;
  // Arguments as the generated `<format>ReadImageNode`: input path, output slots 0 (couldRead)
  // and 1 (image), memory IO. Mounting as `runPipelineNode` does.
  const mounted = m.mountDir(path.dirname(abs));
  let result: PipelineResult;
  try {
    result = it.run(m, [abs, '0', '1', '--memory-io'], [{ type: 'JsonCompatible' }, { type: 'Image' }], []);
  } finally {
    m.unmountDir(mounted);
  }
  if (result.returnValue !== 0 && result.stderr !== '') throw new Error(result.stderr);
  if (result.outputs[0]?.data !== true) throw new Error(`Could not read: ${abs}`);
  return result.outputs[1]!.data as ItkImage;
}
