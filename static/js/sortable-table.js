// Tables marked "sortable": click a column's heading to sort by it, again to reverse. Numbers sort as numbers.
document.querySelectorAll("table.sortable").forEach((table) => {
  table.querySelectorAll("thead th").forEach((heading, column) => {
    heading.tabIndex = 0;
    heading.classList.add("sort-heading");
    if (!heading.title) heading.title = t("Sort by this column");
    const sort = () => {
      const body = table.tBodies[0];
      const ascending = heading.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("thead th").forEach((th) => th.removeAttribute("aria-sort"));
      heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const key = (row) => {
        const cell = row.cells[column];
        const raw = cell.dataset.sort ?? cell.textContent.trim();
        const number = Number(raw.replace(/[%\s,]/g, ""));
        return Number.isFinite(number) && raw !== "" ? number : raw.toLowerCase();
      };
      const rows = [...body.rows].sort((a, b) => {
        const [x, y] = [key(a), key(b)];
        const order = x < y ? -1 : x > y ? 1 : 0;
        return ascending ? order : -order;
      });
      body.append(...rows);
    };
    heading.addEventListener("click", sort);
    heading.addEventListener("keydown", (event) => { if (event.key === "Enter") sort(); });
  });
});
