import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ManySelectField, SelectField } from "@/components/ui/field";
import { optionList, optionsMarkup, selectOption } from "@/components/ui/select-options";

// ManySelectField writes its options as one markup string (components/ui/select-options.ts); the
// field must be the one SelectField writes: the same label, <select> and <option>s, the same one
// selected, every value escaped. React quotes attributes with " and this markup with ', so the
// comparison swaps the quotes (no value here holds one) and leaves out React's comment markers.
const asReact = (markup: string) => markup.replace(/='([^']*)'/g, '="$1"');

const departments = [
  { value: "d1", label: "总部" },
  { value: "d2", label: "　华东销售部" },
  { value: "d3", label: "　　杭州销售组 & <研发>" },
  { value: "d4", label: "Sales > East" },
];

describe("a select of many options", () => {
  it("is the field SelectField writes, for every selection, with and without a placeholder", () => {
    for (const placeholder of [undefined, "全部部门"]) {
      for (const defaultValue of [undefined, "", "d1", "d3", "gone"]) {
        const props = { name: "department", label: "部门", hint: "含下级部门", placeholder, defaultValue };
        const expected = renderToStaticMarkup(createElement(SelectField, { ...props, options: departments }));
        const actual = renderToStaticMarkup(createElement(ManySelectField, { ...props, options: optionList(departments) }));
        expect(asReact(actual), JSON.stringify(props)).toBe(expected);
      }
    }
  });

  it("escapes every label and value: nothing in them opens a tag or closes an attribute", () => {
    const hostile = `<img src=x onerror=alert(1)>'"&`;
    const markup = selectOption(optionsMarkup(optionList([{ value: hostile, label: hostile }, { value: "b", label: "B" }]), "全部"), hostile);
    expect(markup).not.toContain("<img");
    expect(markup).toContain("&lt;img src=x onerror=alert(1)&gt;&#39;&quot;&amp;");
    expect(markup).toContain(`selected=''`);
    // Three options, each value one attribute: only the quotes the markup wrote are unescaped.
    expect(markup.match(/<option/g)?.length).toBe(3);
    expect(markup.match(/'/g)?.length).toBe(2 * 4);
  });

  it("marks one option at most, and none for a value no option has", () => {
    const markup = optionsMarkup(optionList(departments));
    expect(selectOption(markup, "d2").match(/selected/g)?.length).toBe(1);
    expect(selectOption(markup, "nowhere")).toBe(markup);
  });
});
