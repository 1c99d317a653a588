"""The pool: worker processes the parent can kill at a document's deadline, under a memory cap
(workers), the batch that audits many files on them in a stable order (batch), the wire form of a
card between processes and in the cache (codec), and the result and extracted-text cache (cache)."""
