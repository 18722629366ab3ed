"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import {
  appendUploadAction,
  beginUploadAction,
  createCustomFieldAction,
  finishUploadAction,
  rememberedMappingAction,
} from "@/app/(admin)/imports/new/actions";
import { createCustomFieldSchema, type CreateCustomFieldInput, type CustomField } from "@/lib/custom-fields/custom-field-schema";
import { BUILTIN_KEYS, SKIP } from "@/lib/targets/fields";
import type { CheckSummary } from "@/lib/upload/check-rows";
import { autoMap } from "@/lib/upload/auto-map";
import { CustomFieldInputs } from "@/components/fields/custom-field-inputs";
import type { FromWorker, ToWorker } from "./worker-protocol";

const ROWS_PER_PIECE = 2000;
const NEW_FIELD = "__new__";

type Preview = { headers: string[]; rows: string[][] };

function useCsvWorker() {
  // one worker per kind of request: a new check replaces a running check, but
  // never cuts short a download or an upload
  const workers = useRef(new Map<ToWorker["type"], Worker>());
  useEffect(() => {
    const all = workers.current;
    return () => all.forEach((w) => w.terminate());
  }, []);
  /** Runs one request on a fresh worker; `onMessage` sees every message. */
  return (msg: ToWorker, onMessage: (m: FromWorker, worker: Worker) => boolean | void) => {
    workers.current.get(msg.type)?.terminate();
    const worker = new Worker(new URL("./csv.worker.ts", import.meta.url), { type: "module" });
    workers.current.set(msg.type, worker);
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      if (onMessage(e.data, worker) === true) worker.terminate();
    };
    worker.postMessage(msg);
    return worker;
  };
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

const FIELD_LABELS: Record<string, string> = {
  external_id: "external_id (member number)",
  first_name: "First name",
  last_name: "Last name",
  email: "Email",
  phone_number: "Phone number",
  subscription_email: "Subscribed: email",
  subscription_sms: "Subscribed: SMS",
  subscription_phone: "Subscribed: phone",
  subscription_whatsapp: "Subscribed: WhatsApp",
};

function NewFieldForm({ suggested, onCreated, onCancel }: { suggested: string; onCreated: (f: CustomField) => void; onCancel: () => void }) {
  const slug = suggested.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^[^a-z]+/, "").slice(0, 63) || "field";
  const form = useForm<CreateCustomFieldInput>({
    resolver: zodResolver(createCustomFieldSchema),
    defaultValues: { label: suggested, slug, kind: "text" },
  });
  const { handleSubmit, setError, formState } = form;
  return (
    <div className="new-field" role="group" aria-label={`New custom field for ${suggested}`}>
      <CustomFieldInputs form={form} />
      <button
        type="button"
        onClick={handleSubmit(async (values) => {
          const r = await createCustomFieldAction(values);
          if (r.ok) onCreated(r.data);
          else setError(r.error.code === "already_exists" ? "slug" : "root", { message: r.error.message });
        })}
      >
        Create field
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      {formState.errors.root && <span className="field-error">{formState.errors.root.message}</span>}
    </div>
  );
}

export function ImportWizard({ customFields: initialFields, phoneRegion }: { customFields: CustomField[]; phoneRegion: string }) {
  const router = useRouter();
  const run = useCsvWorker();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [fields, setFields] = useState<CustomField[]>(initialFields);
  const [mapping, setMapping] = useState<string[]>([]);
  const [remembered, setRemembered] = useState(false);
  const [creatingFor, setCreatingFor] = useState<number | null>(null);
  const [check, setCheck] = useState<{ state: "idle" | "running" | "done"; rows: number; summary?: CheckSummary }>({ state: "idle", rows: 0 });
  const [strategy, setStrategy] = useState<"reject" | "ignore">("reject");
  const [upload, setUpload] = useState<{ state: "idle" | "sending" | "error"; sent: number; message?: string }>({ state: "idle", sent: 0 });
  const [fileError, setFileError] = useState<string | null>(null);
  const uploadId = useRef<string | null>(null);

  const catalog = useMemo(() => fields.map((f) => [f.slug, f.kind] as [string, string]), [fields]);
  const mappingError = useMemo(() => {
    if (!preview) return null;
    const chosen = mapping.filter((m) => m !== SKIP);
    if (!chosen.includes("external_id")) return "Choose the column that holds external_id (the member number).";
    const dup = chosen.find((m, i) => chosen.indexOf(m) !== i);
    return dup ? `Two columns go to ${dup}: choose one.` : null;
  }, [mapping, preview]);

  function chooseFile(f: File | null) {
    setFile(f);
    setPreview(null);
    setCheck({ state: "idle", rows: 0 });
    setFileError(null);
    uploadId.current = null;
    if (!f) return;
    run({ type: "preview", file: f }, (m) => {
      if (m.type === "error") {
        setFileError(m.message);
        return true;
      }
      if (m.type !== "preview") return;
      setPreview({ headers: m.headers, rows: m.rows });
      const auto = autoMap(m.headers, fields.map((x) => x.slug));
      setMapping(auto);
      setRemembered(false);
      void rememberedMappingAction(m.headers).then((r) => {
        if (r.ok && r.data && r.data.length === m.headers.length) {
          setMapping(r.data);
          setRemembered(true);
        }
      });
      return true;
    });
  }

  // Check the whole file whenever the mapping settles.
  useEffect(() => {
    if (!file || !preview || mappingError) return;
    const timer = setTimeout(() => {
      setCheck({ state: "running", rows: 0 });
      run({ type: "check", file, mapping, catalog, phoneRegion }, (m) => {
        if (m.type === "progress") setCheck({ state: "running", rows: m.rows });
        if (m.type === "checked") {
          setCheck({ state: "done", rows: m.summary.rowsChecked, summary: m.summary });
          return true;
        }
        if (m.type === "error") {
          setFileError(m.message);
          return true;
        }
      });
    }, 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [file, preview, mapping, catalog, mappingError]);

  function downloadProblemRows() {
    if (!file) return;
    run({ type: "problem-rows", file, mapping, catalog, phoneRegion }, (m) => {
      if (m.type === "problem-rows") {
        download(`problem-rows-${file.name}`, m.csv);
        return true;
      }
      if (m.type === "error") return true;
    });
  }

  async function send<T>(action: () => Promise<{ ok: true; data: T } | { ok: false; error: { message: string } }>): Promise<T> {
    // a piece that fails on the network is sent again; the server ignores repeats
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await action();
        if (r.ok) return r.data;
        throw Object.assign(new Error(r.error.message), { final: true });
      } catch (e) {
        if ((e as { final?: boolean }).final || attempt >= 4) throw e;
        await new Promise((res) => setTimeout(res, 500 * attempt));
      }
    }
  }

  async function startImport() {
    if (!file || !preview || mappingError || check.state !== "done" || upload.state === "sending") return;
    setUpload({ state: "sending", sent: 0 });
    uploadId.current ??= crypto.randomUUID();
    const id = uploadId.current;
    try {
      await send(() =>
        beginUploadAction({ uploadId: id, fileName: file.name, columns: preview.headers, mapping, strategy, totalRows: check.rows }),
      );
      await new Promise<void>((resolve, reject) => {
        run({ type: "upload", file, rowsPerChunk: ROWS_PER_PIECE }, (m, worker) => {
          if (m.type === "chunk") {
            send(() => appendUploadAction({ uploadId: id, no: m.no, rows: m.rows }))
              .then(() => {
                setUpload((u) => ({ ...u, sent: u.sent + m.rows.length }));
                worker.postMessage({ type: "ack" } satisfies ToWorker);
              })
              .catch((e) => {
                worker.terminate();
                reject(e);
              });
          }
          if (m.type === "uploaded") {
            resolve();
            return true;
          }
          if (m.type === "error") {
            reject(new Error(m.message));
            return true;
          }
        });
      });
      await send(() => finishUploadAction({ uploadId: id }));
      router.push(`/imports/${id}`);
    } catch (e) {
      setUpload((u) => ({ ...u, state: "error", message: (e as Error).message }));
    }
  }

  const fieldOptions = [...BUILTIN_KEYS.map((k) => ({ value: k, label: FIELD_LABELS[k] ?? k })), ...fields.map((f) => ({ value: f.slug, label: `${f.label} (${f.slug})` }))];

  return (
    <div className="wizard" data-hydrated={hydrated ? "true" : undefined}>
      <section aria-labelledby="step-file">
        <h2 id="step-file">1. Choose the file</h2>
        <div
          className="dropzone"
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            chooseFile(e.dataTransfer.files[0] ?? null);
          }}
        >
          <label>
            CSV file <input type="file" accept=".csv,.txt,text/csv" onChange={(e) => chooseFile(e.target.files?.[0] ?? null)} />
          </label>
          <p>or drop it here. Nothing is imported until you press Start import.</p>
        </div>
        {fileError && (
          <p className="field-error" role="alert">
            We could not read this file: {fileError}
          </p>
        )}
      </section>

      {preview && (
        <section aria-labelledby="step-map">
          <h2 id="step-map">2. Match the columns</h2>
          {remembered && <p className="note">We used the choices you made last time for a file with these columns.</p>}
          <table className="data" aria-label="Column mapping">
            <thead>
              <tr>
                <th scope="col">Column in your file</th>
                <th scope="col">Goes to</th>
                <th scope="col">First values</th>
              </tr>
            </thead>
            <tbody>
              {preview.headers.map((h, i) => (
                <tr key={i}>
                  <th scope="row">{h}</th>
                  <td>
                    <select
                      aria-label={h}
                      value={mapping[i] ?? SKIP}
                      onChange={(e) => {
                        if (e.target.value === NEW_FIELD) return setCreatingFor(i);
                        const next = [...mapping];
                        next[i] = e.target.value;
                        setMapping(next);
                      }}
                    >
                      <option value={SKIP}>Don’t import</option>
                      {fieldOptions.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                      <option value={NEW_FIELD}>New custom field…</option>
                    </select>
                    {creatingFor === i && (
                      <NewFieldForm
                        suggested={h}
                        onCancel={() => setCreatingFor(null)}
                        onCreated={(f) => {
                          setFields((fs) => [...fs, f]);
                          const next = [...mapping];
                          next[i] = f.slug;
                          setMapping(next);
                          setCreatingFor(null);
                        }}
                      />
                    )}
                  </td>
                  <td className="sample">{preview.rows.slice(0, 3).map((r) => r[i]).filter(Boolean).join(" · ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {mappingError && (
            <p className="field-error" role="alert">
              {mappingError}
            </p>
          )}
          <details>
            <summary>Preview of the first rows</summary>
            <table className="data" aria-label="Preview">
              <thead>
                <tr>
                  {preview.headers.map((h, i) => (
                    <th key={i} scope="col">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r, i) => (
                  <tr key={i}>
                    {r.map((c, j) => (
                      <td key={j}>{c}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </section>
      )}

      {preview && !mappingError && (
        <section aria-labelledby="step-check" aria-live="polite">
          <h2 id="step-check">3. Check</h2>
          {check.state === "running" && <p>Checking… {check.rows.toLocaleString("en-GB")} rows so far</p>}
          {check.state === "done" && check.summary && (
            <div data-testid="check-summary">
              <p>
                {check.summary.rowsChecked.toLocaleString("en-GB")} {check.summary.rowsChecked === 1 ? "row" : "rows"} checked;{" "}
                {check.summary.rowsWithProblems === 0
                  ? "no rows with problems."
                  : `${check.summary.rowsWithProblems.toLocaleString("en-GB")} ${check.summary.rowsWithProblems === 1 ? "has problems and" : "have problems and"} will be rejected.`}
                {check.summary.rowsInConflict > 0 &&
                  ` ${check.summary.rowsInConflict.toLocaleString("en-GB")} more share an email or phone number with another member in this file.`}{" "}
                Rows can also collide with members already stored; the result will list them.
              </p>
              <ul className="problems">
                {check.summary.problems.map((p) => (
                  <li key={p.key}>
                    <strong>
                      {p.rows.toLocaleString("en-GB")} {p.rows === 1 ? "row" : "rows"}: {p.label}
                    </strong>
                    <ul>
                      {p.examples.map((e) => (
                        <li key={e.row}>
                          Row {e.row}
                          {e.externalId ? ` (${e.externalId})` : ""}: {e.message}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
              {check.summary.rowsWithProblems > 0 && (
                <button type="button" onClick={downloadProblemRows}>
                  Download rows with problems
                </button>
              )}
            </div>
          )}
        </section>
      )}

      {preview && !mappingError && (
        <section aria-labelledby="step-start">
          <h2 id="step-start">4. Start</h2>
          <fieldset>
            <legend>When a row’s email or phone number already belongs to another member</legend>
            <label>
              <input type="radio" name="strategy" value="reject" checked={strategy === "reject"} onChange={() => setStrategy("reject")} />{" "}
              Reject (recommended): leave that row out and list it, so nobody is merged by mistake.
            </label>
            <label>
              <input type="radio" name="strategy" value="ignore" checked={strategy === "ignore"} onChange={() => setStrategy("ignore")} />{" "}
              Ignore: import the row anyway; two members will share that email or phone.
            </label>
          </fieldset>
          <button
            type="button"
            className="primary"
            disabled={!hydrated || check.state !== "done" || upload.state === "sending"}
            onClick={startImport}
          >
            Start import
          </button>
          {upload.state === "sending" && (
            <label className="progress">
              Sending {upload.sent.toLocaleString("en-GB")} of {check.rows.toLocaleString("en-GB")} rows
              <progress value={upload.sent} max={check.rows} />
            </label>
          )}
          {upload.state === "error" && (
            <p className="field-error" role="alert">
              The file could not be sent: {upload.message}. Press Start import to try again; nothing is imported twice.
            </p>
          )}
        </section>
      )}
    </div>
  );
}
