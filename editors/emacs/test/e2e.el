;;; e2e.el --- end-to-end test of workers-lsp.el with eglot and the real server -*- lexical-binding: t -*-

;; Run through test/run.sh:
;;   emacs --batch -Q -L editors/emacs -l editors/emacs/test/e2e.el
;; Environment: WORKERS_LSP_BIN (the server), WORKERS_LSP_WORKSPACE (a copy of
;; test-workspaces/families/saas under version control, so that project.el
;; takes it as the root).  Prints "E2E PASS: ..." or "E2E FAIL: ...".

;;; Code:

(require 'cl-lib)
(require 'xref)
(require 'flymake)

(defvar e2e-timeout 30 "Seconds to wait for each step.")
(defvar e2e-started (float-time))

(defun e2e-log (fmt &rest args)
  "Print FMT with ARGS, with the time since the start."
  (princ (format "[e2e %6.2fs] %s\n" (- (float-time) e2e-started) (apply #'format fmt args))))

(defun e2e-fail (fmt &rest args)
  "Report a failure (FMT with ARGS) and leave Emacs with status 1."
  (let ((events (cl-find-if (lambda (b) (string-match-p "EGLOT.*events" (buffer-name b)))
                            (buffer-list))))
    (when events
      (with-current-buffer events
        (princ "--- the end of eglot's events buffer:\n")
        (princ (buffer-substring-no-properties (max (point-min) (- (point-max) 6000)) (point-max)))
        (princ "\n---\n"))))
  (princ (format "E2E FAIL: %s\n" (apply #'format fmt args)))
  (ignore-errors (eglot-shutdown-all))
  (kill-emacs 1))

(defun e2e-wait (what pred)
  "Run the event loop until PRED is non-nil; fail naming WHAT after `e2e-timeout'."
  (let ((deadline (+ (float-time) e2e-timeout)) value)
    (while (and (not (setq value (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or value (e2e-fail "timed out waiting for %s" what))))

(defun e2e-visit (file)
  "Visit FILE of the workspace as a user would (the command loop runs its hooks)."
  (let ((buffer (find-file-noselect (expand-file-name file workspace))))
    (set-buffer buffer)
    ;; `eglot-ensure' connects from `post-command-hook', which only the
    ;; interactive command loop runs.
    (run-hooks 'post-command-hook)
    buffer))

(defun e2e-codes (buffer)
  "The findings shown in BUFFER, as (LINE . MESSAGE), as flymake holds them."
  (with-current-buffer buffer
    (mapcar (lambda (d)
              (cons (line-number-at-pos (flymake-diagnostic-beg d))
                    (flymake-diagnostic-text d)))
            (append (flymake-diagnostics)
                    ;; Before flymake's first run, eglot keeps them here.
                    (and (boundp 'eglot--diagnostics) eglot--diagnostics
                         (mapcar (lambda (d) d) eglot--diagnostics))))))

(defun e2e-expect-finding (buffer code line)
  "Wait until BUFFER shows a finding CODE on LINE."
  (e2e-wait (format "%s on line %d of %s" code line (buffer-name buffer))
            (lambda ()
              (cl-some (lambda (d) (and (= (car d) line)
                                        (string-match-p (regexp-quote (format "[%s]" code)) (cdr d))))
                       (e2e-codes buffer)))))

(defvar workspace (getenv "WORKERS_LSP_WORKSPACE"))
(let ((bin (getenv "WORKERS_LSP_BIN")))
  (unless (and bin workspace) (e2e-fail "set WORKERS_LSP_BIN and WORKERS_LSP_WORKSPACE"))
  (setq workspace (file-name-as-directory workspace))
  (require 'workers-lsp)
  (setq workers-lsp-command (list bin "serve" "--stdio"))
  (customize-set-variable 'workers-lsp-manage-sources t)
  ;; Emacs 28 has no TypeScript mode; a user has one from a package.  js-mode
  ;; stands in for it (it is in `workers-lsp-source-modes').
  (add-to-list 'auto-mode-alist '("\\.ts\\'" . js-mode))
  (setq eglot-sync-connect nil)
  (setq flymake-no-changes-timeout 0.1))

;; 1. A config: its mode, one server, its findings.
(let ((config (e2e-visit "gateway/wrangler.toml")))
  (unless (eq major-mode 'workers-lsp-toml-mode)
    (e2e-fail "wrangler.toml opened in %s, not workers-lsp-toml-mode" major-mode))
  (e2e-wait "the server to start for wrangler.toml"
            (lambda () (with-current-buffer config (eglot-current-server))))
  (e2e-log "server started: %s" (eglot--project-nickname (with-current-buffer config (eglot-current-server))))
  (let ((root (project-root (eglot--project (with-current-buffer config (eglot-current-server))))))
    (unless (file-equal-p root workspace)
      (e2e-fail "project root is %s, not the workspace %s" root workspace)))
  (e2e-expect-finding config "unknown-entrypoint" 19)
  (e2e-expect-finding config "environment-drift" 35)
  (e2e-log "wrangler.toml shows its findings")

  ;; 2. Closed and opened again: eglot dropped its findings on close; the server
  ;;    must publish them again (issue: a config opened later showed nothing).
  (kill-buffer config)
  (let ((again (e2e-visit "gateway/wrangler.toml")))
    (e2e-expect-finding again "unknown-entrypoint" 19)
    (e2e-log "reopened wrangler.toml shows its findings again")))

;; 3. A JSON config and a source join the same server.
(let ((json (e2e-visit "billing/wrangler.json")))
  (unless (eq major-mode 'workers-lsp-json-mode)
    (e2e-fail "wrangler.json opened in %s, not workers-lsp-json-mode" major-mode))
  (e2e-wait "wrangler.json to be managed" (lambda () (with-current-buffer json (eglot-current-server)))))
(let ((source (e2e-visit "gateway/src/middleware/auth.ts")))
  (e2e-wait "auth.ts to be managed" (lambda () (with-current-buffer source (eglot-current-server))))
  (let ((servers (hash-table-values eglot--servers-by-project)))
    (unless (= 1 (length (apply #'append servers)))
      (e2e-fail "%d servers for one project, expected 1" (length (apply #'append servers)))))
  (e2e-expect-finding source "unknown-rpc-method" 9)
  (e2e-log "auth.ts shows its findings")

  ;; 4. Go to definition from a cross-worker RPC call, through xref as M-. does.
  (with-current-buffer source
    (goto-char (point-min))
    (search-forward "AUTH.verifyToken")
    (goto-char (+ (match-beginning 0) 6))
    (let* ((id (xref-backend-identifier-at-point 'eglot))
           (defs (xref-backend-definitions 'eglot id))
           (loc (and defs (xref-item-location (car defs)))))
      (unless loc (e2e-fail "no definition for %s" id))
      (let ((file (xref-location-group loc))
            (line (xref-location-line loc)))
        (unless (and (string-suffix-p "auth/src/service.ts" file) (eql line 4))
          (e2e-fail "definition went to %s:%s, expected auth/src/service.ts:4" file line))
        (e2e-log "definition of verifyToken: %s:%d" (file-relative-name file workspace) line)))))

;; 5. Shut down as eglot does (shutdown, then exit). The server must end by itself, with
;;    status 0, before eglot would kill it.
(let* ((servers (apply #'append (hash-table-values eglot--servers-by-project)))
       (server (car servers))
       (proc (jsonrpc--process server)))
  (setf (eglot--shutdown-requested server) t)
  (jsonrpc-request server :shutdown nil :timeout 5)
  (jsonrpc-notify server :exit nil)
  (e2e-wait "the server process to exit after `exit'" (lambda () (not (process-live-p proc))))
  (unless (and (eq (process-status proc) 'exit) (= 0 (process-exit-status proc)))
    (e2e-fail "the server ended with %s %s, not exit 0" (process-status proc) (process-exit-status proc)))
  (e2e-log "the server exited with status 0"))
(princ "E2E PASS: config and source findings (also after reopening), one server, definition, clean exit\n")
(kill-emacs 0)
;;; e2e.el ends here
