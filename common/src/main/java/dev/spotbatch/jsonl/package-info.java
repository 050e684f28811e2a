/** Reading JSONL byte ranges by the line-split rule, and parsing lines into records. */
package dev.spotbatch.jsonl;
