/** Disk images: the GPT and the fixed VHD footer, as bytes. The writer that puts them in a file is in infra/images/. */
export * from './chs-geometry';
export * from './gpt';
export * from './guid';
export * from './partition-types';
export * from './vhd-footer';
