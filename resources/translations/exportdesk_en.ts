<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en">
<context>
    <name></name>
    <message numerus="yes">
        <source>%Ln row(s)</source>
        <translation>
            <numerusform>%Ln row</numerusform>
            <numerusform>%Ln rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Connected to {name}: %Ln table(s) and view(s)</source>
        <translation>
            <numerusform>Connected to {name}: %Ln table or view</numerusform>
            <numerusform>Connected to {name}: %Ln tables and views</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The source has about %Ln row(s).</source>
        <translation>
            <numerusform>The source has about %Ln row.</numerusform>
            <numerusform>The source has about %Ln rows.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>XLSX will need %Ln sheet(s) for them.</source>
        <translation>
            <numerusform>XLSX will need %Ln sheet for them.</numerusform>
            <numerusform>XLSX will need %Ln sheets for them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln hour(s)</source>
        <translation>
            <numerusform>%Ln hour</numerusform>
            <numerusform>%Ln hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln day(s)</source>
        <translation>
            <numerusform>%Ln day</numerusform>
            <numerusform>%Ln days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln minute(s)</source>
        <translation>
            <numerusform>%Ln minute</numerusform>
            <numerusform>%Ln minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stored: %Ln file(s), {size}</source>
        <translation>
            <numerusform>Stored: %Ln file, {size}</numerusform>
            <numerusform>Stored: %Ln files, {size}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{name}: %Ln row(s), {size}</source>
        <translation>
            <numerusform>{name}: %Ln row, {size}</numerusform>
            <numerusform>{name}: %Ln rows, {size}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln byte(s)</source>
        <translation>
            <numerusform>%Ln byte</numerusform>
            <numerusform>%Ln bytes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln export(s) still running or queued.</source>
        <translation>
            <numerusform>%Ln export is still running or queued.</numerusform>
            <numerusform>%Ln exports are still running or queued.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s) verified against the manifest, no differences.</source>
        <translation>
            <numerusform>%Ln file verified against the manifest, no differences.</numerusform>
            <numerusform>%Ln files verified against the manifest, no differences.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> hour(s)</source>
        <translation>
            <numerusform> hour</numerusform>
            <numerusform> hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>expected %s argument(s)</source>
        <translation>
            <numerusform>expected %s argument</numerusform>
            <numerusform>expected %s arguments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s)/s</source>
        <translation>
            <numerusform>%Ln row/s</numerusform>
            <numerusform>%Ln rows/s</numerusform>
        </translation>
    </message>
</context>
</TS>
