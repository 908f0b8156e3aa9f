/** Help texts of the CLI. */
export const MAIN_USAGE = `kapri — cross-modal knowledge distillation for the edge

Usage: kapri <command> [options]

Commands:
  run       train teacher, student and priors on a scenario or your manifest; compress; plan deployment
  target    train a teacherless target from a prior and student saved by 'kapri run'; compress; plan
  bench     microbenchmarks of the kernels and training against peers (JSON + table)
  sweep     a grid of runs (config overlays × scenarios or manifests), here or on a Redis queue
  worker    take sweep cells from a Redis queue and run them
  inspect   show a QModel file's layers, bytes and checksums
  export    write a QModel as an ONNX graph that onnxruntime runs to the same bits
  import    convert an int8 ONNX model (QLinear or QDQ form) into a QModel
  devices   list the built-in device profiles
  --version print kapri's version

Run 'kapri <command> --help' for a command's options.`;

export const BENCH_USAGE = `Usage: kapri bench [--quick] [--browser] [--json FILE] [--threads N]

Runs every benchmark in one process (ratios are measured side by side), prints a table and,
with --json, writes the report (docs/contracts.md) atomically to FILE. A run whose rows cannot be
measurements (a kernel above its roofline, a machine too loaded) is printed NOT VALID, and so is
summary.validity in the report.

  --quick        fewer repetitions and shapes: a smoke run of about two minutes
  --browser      run in Chromium (/usr/bin/chromium, or KAPRI_CHROMIUM) through playwright: the int8
                 kernel rows on one thread, baseline and relaxed side by side (summary.relaxedVsBaseline),
                 and onnxruntime-web beside them and on whole models against kapri (summary.modelVsOrtWeb*)
  --json FILE    write the JSON report to FILE
  --threads N    threads for the multi-thread rows (default: every core)`;

export const RUN_USAGE = `Usage: kapri run [--scenario hands|physio|actions|cardio|gauss | --data MANIFEST] [--preset quick|default|paper|full]
                 [--config FILE] [--device NAME|FILE] [--seed N] [--seeds N] [--jobs N] [--out DIR] [--force]

--data MANIFEST runs on your data: a JSON manifest naming .npy files (README, "Your own data").
--jobs N trains N seeds at once on worker threads (default: one per core); the numbers are the same for any N.`;
export const TARGET_USAGE = `Usage: kapri target --data MANIFEST --prior FILE --student FILE [--preset quick|default|paper|full]
                    [--config FILE] [--device NAME|FILE] [--seed N] [--seeds N] [--jobs N] [--out DIR] [--force]

Trains a student on a teacherless target (MANIFEST names the target's splits, weak modality only) from
the prior and the distilled student an earlier 'kapri run' saved (prior.kprior, student.kparams): from
scratch, fine-tuned, and with the prior at each strength of the config's grid (chosen on the target's
validation split); then compresses it and plans the devices as 'kapri run' does.
--jobs N trains N seeds at once on worker threads (default: one per core); the numbers are the same for any N.`;
export const SWEEP_USAGE = `Usage: kapri sweep FILE [--out DIR] [--jobs N] [--queue redis://HOST:PORT[/DB]]

Runs every cell of the sweep FILE (config overlays × scenarios or manifests, each cell a whole
'kapri run' with the sweep's seeds) and writes DIR/cells/ID/ (the cell's report and artifacts),
DIR/sweep.json and DIR/sweep.html (DIR defaults to kapri-sweep-out). Finished cells are not run again.
--jobs N      seeds each cell trains at once here (default: one per core)
--queue URL   put the cells on a BullMQ queue in Redis and wait for 'kapri worker' processes to run them`;
export const WORKER_USAGE = `Usage: kapri worker --queue redis://HOST:PORT[/DB] [--jobs N] [--lock-ms MS]

Takes sweep cells from the queue one at a time and runs each (N seeds at once, default one per core);
until SIGINT or SIGTERM. A worker that dies has its cell run again by another once its lock lapses
(--lock-ms, default 30000).`;
export const INSPECT_USAGE = 'Usage: kapri inspect FILE';
export const EXPORT_USAGE = `Usage: kapri export MODEL --onnx FILE

Writes the QModel MODEL as a standard ONNX graph (opset 13: QLinearConv with per-channel weight
scales, QuantizeLinear/DequantizeLinear at the edges, MaxPool, Clip for fused ReLUs) to FILE.
onnxruntime runs it to the same output bits as kapri's executors; an op that ONNX cannot express
exactly is refused, naming it.`;
export const DEVICES_USAGE = 'Usage: kapri devices';
export const IMPORT_USAGE = `Usage: kapri import FILE.onnx --out MODEL [--calibration SAMPLES.npy]

Converts an int8 ONNX model into the QModel MODEL, which kapri's executors run to the output bits
onnxruntime computes: QLinearConv / QLinearMatMul and the QDQ forms of Conv (depthwise and grouped
included), MatMul and Gemm, Relu / Clip as fused activations, MaxPool, and layout-only Transpose,
Reshape and Flatten. uint8 activations are shifted to int8 exactly; weights must be symmetric (zero
point 0, or 128 for uint8). An NCHW input becomes the QModel's NHWC input. Anything else is refused,
naming the node and the reason.

With --calibration, FILE.onnx is a float model (Conv, Gemm, MatMul, Relu, Clip, MaxPool, AveragePool
without padding, GlobalAveragePool, Add, Reshape, Flatten) and SAMPLES.npy holds calibration inputs of
shape [N, ...the model input's dims] (float): kapri calibrates every activation on them, quantizes the
weights per output channel to int8, and writes the QModel; its outputs approximate the float model's.`;
