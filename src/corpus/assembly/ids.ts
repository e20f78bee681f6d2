// The id files' sentence mark, as src/corpus/id-file.ts defines it, for the modules that write ids.
export const SENTENCE_END: u32 = 0xffffffff;
