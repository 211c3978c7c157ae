/**
 * Django's `lorem_ipsum` module, for `{% lorem %}`: the common paragraph and words, then random
 * sentences.
 * @module
 */

const COMMON_P =
  "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.";
const COMMON_WORDS = [
  "lorem",
  "ipsum",
  "dolor",
  "sit",
  "amet",
  "consectetur",
  "adipisicing",
  "elit",
  "sed",
  "do",
  "eiusmod",
  "tempor",
  "incididunt",
  "ut",
  "labore",
  "et",
  "dolore",
  "magna",
  "aliqua",
];
const WORDS = (
  "exercitationem perferendis perspiciatis laborum eveniet sunt iure nam nobis eum cum officiis " +
  "excepturi odio consectetur quasi aut quisquam vel eligendi itaque non odit tempore quaerat dignissimos " +
  "facilis neque nihil expedita vitae vero ipsum nisi animi cumque pariatur velit modi natus iusto eaque " +
  "sequi illo sed ex et voluptatibus tempora veritatis ratione assumenda incidunt nostrum placeat aliquid " +
  "fuga provident praesentium rem necessitatibus suscipit adipisci quidem possimus voluptas debitis sint " +
  "accusantium unde sapiente voluptate qui aspernatur laudantium soluta amet quo aliquam saepe culpa " +
  "libero ipsa dicta reiciendis nesciunt doloribus autem impedit minima maiores repudiandae ipsam obcaecati " +
  "ullam enim totam delectus ducimus quis voluptates dolores molestiae harum dolorem quia voluptatem " +
  "molestias magni distinctio omnis illum dolorum voluptatum ea quas quam corporis quae blanditiis atque " +
  "deserunt laboriosam earum consequuntur hic cupiditate quibusdam accusamus ut rerum error minus eius ab " +
  "ad nemo fugit officia at in id quos reprehenderit numquam iste fugiat sit inventore beatae repellendus " +
  "magnam recusandae quod explicabo doloremque aperiam consequatur asperiores commodi optio dolor labore " +
  "temporibus repellat veniam architecto est esse mollitia nulla a similique eos alias dolore tenetur " +
  "deleniti porro facere maxime corrupti"
).split(" ");

function pick<T>(list: readonly T[], n: number): T[] {
  const copy = [...list];
  const out: T[] = [];
  for (let i = 0; i < n && copy.length; i++) {
    out.push(copy.splice(Math.floor(Math.random() * copy.length), 1)[0]);
  }
  return out;
}

/** Django's `lorem_ipsum.words`: the first `count` words ("lorem ipsum…" when `common`). */
export function loremWords(count: number, common: boolean): string {
  const words = common ? COMMON_WORDS.slice(0, count) : [];
  let remaining = count - words.length;
  while (remaining > 0) {
    const n = Math.min(remaining, WORDS.length);
    words.push(...pick(WORDS, n));
    remaining -= n;
  }
  return words.join(" ");
}

function sentence(): string {
  const sections: string[] = [];
  const n = 1 + Math.floor(Math.random() * 5);
  for (let i = 0; i < n; i++) {
    sections.push(pick(WORDS, 3 + Math.floor(Math.random() * 10)).join(" "));
  }
  const s = sections.join(", ");
  return s[0].toUpperCase() + s.slice(1) + (Math.random() < 0.5 ? "?" : ".");
}

/** Django's `lorem_ipsum.paragraphs`: the first is the standard one when `common`. */
export function loremParagraphs(count: number, common: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    if (common && i === 0) out.push(COMMON_P);
    else {
      const n = 1 + Math.floor(Math.random() * 4);
      out.push(Array.from({ length: n }, sentence).join(" "));
    }
  }
  return out;
}
