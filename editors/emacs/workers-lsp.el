;;; workers-lsp.el --- Cloudflare Workers families through eglot -*- lexical-binding: t -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: languages, tools
;; SPDX-License-Identifier: MIT OR Apache-2.0

;;; Commentary:

;; Runs the workers-lsp language server through eglot for wrangler configs
;; (wrangler.toml, wrangler.json, wrangler.jsonc and variants such as
;; wrangler.staging.toml) and workers-lsp.toml, and, when
;; `workers-lsp-manage-sources' is non-nil, for TypeScript and JavaScript
;; sources too.
;;
;; The configs get major modes of their own, derived from the usual ones
;; (`conf-toml-mode', `js-json-mode' or, before Emacs 29, `js-mode'), so that
;; registering workers-lsp for them takes no other TOML or JSON file away from
;; the server that eglot runs for it.  eglot runs one server per buffer: with
;; `workers-lsp-manage-sources', workers-lsp replaces the TypeScript server in
;; source buffers.  To keep both, run them through a multiplexer (see
;; editors/README.md).
;;
;;   (require 'workers-lsp)   ; with this folder in `load-path'
;;
;; eglot takes the project root from project.el (the version-control root);
;; the server finds the family's root from there.

;;; Code:

(require 'eglot)
(require 'conf-mode)
(require 'js)

(defgroup workers-lsp nil
  "The workers-lsp language server for families of Cloudflare Workers."
  :group 'tools
  :prefix "workers-lsp-")

(defcustom workers-lsp-command '("workers-lsp" "serve" "--stdio")
  "The command that starts the server, as a list: program and arguments."
  :type '(repeat string))

(defcustom workers-lsp-source-modes
  '(typescript-ts-mode tsx-ts-mode typescript-mode js-ts-mode js-mode js2-mode)
  "Major modes of the sources managed when `workers-lsp-manage-sources' is non-nil."
  :type '(repeat symbol))

(defun workers-lsp--set-and-register (symbol value)
  "Set SYMBOL to VALUE and register the server again (a `defcustom' setter)."
  (set-default symbol value)
  (when (featurep 'workers-lsp)
    (workers-lsp-register)))

(defcustom workers-lsp-manage-sources nil
  "Non-nil: workers-lsp also serves the buffers in `workers-lsp-source-modes'.
eglot then runs workers-lsp instead of the TypeScript server in those buffers."
  :type 'boolean
  :set #'workers-lsp--set-and-register)

(defcustom workers-lsp-auto-start t
  "Non-nil: start the server (`eglot-ensure') when a config is visited."
  :type 'boolean)

(define-derived-mode workers-lsp-toml-mode conf-toml-mode "Wrangler-TOML"
  "Major mode for wrangler.toml and workers-lsp.toml, served by workers-lsp.")

(if (fboundp 'js-json-mode)
    (define-derived-mode workers-lsp-json-mode js-json-mode "Wrangler-JSON"
      "Major mode for wrangler.json and wrangler.jsonc, served by workers-lsp.")
  (define-derived-mode workers-lsp-json-mode js-mode "Wrangler-JSON"
    "Major mode for wrangler.json and wrangler.jsonc, served by workers-lsp."))

(put 'workers-lsp-toml-mode 'eglot-language-id "toml")
(put 'workers-lsp-json-mode 'eglot-language-id "jsonc")

(defconst workers-lsp-config-modes '(workers-lsp-toml-mode workers-lsp-json-mode)
  "The major modes of the files that workers-lsp always serves.")

;; A wrangler config is any .toml, .json or .jsonc whose name contains
;; "wrangler", as the server reads them (wrangler.toml, wrangler.staging.jsonc).
(add-to-list 'auto-mode-alist
             '("/[^/]*wrangler[^/]*\\.toml\\'" . workers-lsp-toml-mode))
(add-to-list 'auto-mode-alist '("/workers-lsp\\.toml\\'" . workers-lsp-toml-mode))
(add-to-list 'auto-mode-alist
             '("/[^/]*wrangler[^/]*\\.jsonc?\\'" . workers-lsp-json-mode))

(defun workers-lsp--entry-p (entry)
  "Non-nil when ENTRY of `eglot-server-programs' is the one this file adds."
  (let ((modes (car-safe entry)))
    (and (consp modes) (memq 'workers-lsp-toml-mode modes))))

(defun workers-lsp--contact (&optional _interactive)
  "The server's command, read when eglot starts it."
  workers-lsp-command)

(defun workers-lsp-register ()
  "Put workers-lsp first in `eglot-server-programs', for one set of modes.
All the modes are in one entry, so that eglot starts one server per project
for configs and sources alike."
  (setq eglot-server-programs
        (cons (cons (append workers-lsp-config-modes
                            (and workers-lsp-manage-sources workers-lsp-source-modes))
                    #'workers-lsp--contact)
              (seq-remove #'workers-lsp--entry-p eglot-server-programs))))

(defun workers-lsp--maybe-start ()
  "Start eglot in a config buffer when `workers-lsp-auto-start' is non-nil."
  (when workers-lsp-auto-start
    (eglot-ensure)))

(add-hook 'workers-lsp-toml-mode-hook #'workers-lsp--maybe-start)
(add-hook 'workers-lsp-json-mode-hook #'workers-lsp--maybe-start)

(workers-lsp-register)

(provide 'workers-lsp)
;;; workers-lsp.el ends here
